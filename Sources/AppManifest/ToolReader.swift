import MCP

/// One entry of `tools`: its names, scope, schemas, widget, and the call and result it maps to.
struct ToolReader {
    let reader: ManifestReader
    let context: ManifestContext
    /// Every scope name and widget id written in the manifest (also ones with problems of their
    /// own, so one mistake is reported once).
    let declaredScopes: Set<String>
    let declaredWidgets: Set<String>

    private static let keys: Set<String> = [
        "name", "title", "description", "scope", "inputSchema", "outputSchema", "annotations", "widget", "visibility", "call", "result",
    ]

    func read(_ node: JSONNode, path: String, seenNames: inout Set<String>) -> ToolDeclaration? {
        guard let tool = reader.object(node, path: path, keys: Self.keys) else { return nil }
        let name = reader.string(tool, "name", required: true)
        if let name {
            let at = tool.offset("name")
            if !NamingRules.isToolName(name) {
                reader.report(tool.path("name"), NamingRules.toolNameRule, at: at)
            } else if context.codeToolNames.contains(name) {
                reader.report(tool.path("name"), "duplicate tool name \"\(name)\" (a code tool has it)", at: at)
            } else if !seenNames.insert(name).inserted {
                reader.report(tool.path("name"), "duplicate tool name \"\(name)\"", at: at)
            }
        }
        let title = reader.string(tool, "title")
        let description = reader.text(tool, "description")
        let scope = reader.string(tool, "scope", required: true)
        if let scope, !declaredScopes.contains(scope) {
            reader.report(tool.path("scope"), "\"\(scope)\" is not a declared scope", at: tool.offset("scope"))
        }
        let input = inputSchema(tool)
        let outputSchema = tool["outputSchema"].flatMap { node -> Value? in
            guard reader.object(node, path: tool.path("outputSchema"), keys: nil) != nil else { return nil }
            return reader.value(node, path: tool.path("outputSchema"))
        }
        let annotations = self.annotations(tool)
        let widget = self.widget(tool)
        let visibility = self.visibility(tool)
        let arguments = input.map { ArgumentNames(schema: $0.schema) }
        let call = reader.required(tool, "call").flatMap {
            CallReader(reader: reader, context: context, arguments: arguments).read($0, path: tool.path("call"))
        }
        let result = tool["result"].map {
            ResultReader(reader: reader, arguments: arguments).read($0, path: tool.path("result"))
        } ?? ResultDeclaration(structuredContent: .pointer(JSONPointer.whole), text: nil, errors: [:])

        guard let name, let description, let scope, let input, let call, let result, let visibility, let annotations else { return nil }
        return ToolDeclaration(name: name, title: title, description: description, scope: scope, inputSchema: input.value,
                               outputSchema: outputSchema, annotations: annotations, widget: widget ?? nil, visibility: visibility,
                               call: call, result: result, argumentSchema: input.schema)
    }

    /// `inputSchema`: an object schema, compiled for the argument check.
    private func inputSchema(_ tool: ObjectReading) -> (value: Value, schema: ArgumentSchema)? {
        guard let node = reader.required(tool, "inputSchema") else { return nil }
        let path = tool.path("inputSchema")
        guard let schema = reader.object(node, path: path, keys: nil) else { return nil }
        let value = reader.value(node, path: path)
        var compiler = SchemaCompiler()
        let root = compiler.compile(value, path: path)
        let typePath = schema.path("type")
        for problem in compiler.problems where problem.path != typePath {
            reader.report(problem.path, problem.message, at: node.offset)
        }
        if schema["type"] == nil {
            reader.report(typePath, "is required", at: node.offset)
        } else if schema["type"]?.string != "object" {
            reader.report(typePath, "must be \"object\"", at: schema.offset("type"))
        }
        return (value, ArgumentSchema(root: root))
    }

    private func annotations(_ tool: ObjectReading) -> ToolAnnotationsDeclaration? {
        guard let node = tool["annotations"] else { return ToolAnnotationsDeclaration() }
        guard let annotations = reader.object(node, path: tool.path("annotations"),
                                              keys: ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"])
        else { return nil }
        return ToolAnnotationsDeclaration(readOnlyHint: reader.bool(annotations, "readOnlyHint"),
                                          destructiveHint: reader.bool(annotations, "destructiveHint"),
                                          idempotentHint: reader.bool(annotations, "idempotentHint"),
                                          openWorldHint: reader.bool(annotations, "openWorldHint"))
    }

    /// Nil: no widget; `.some(nil)`: a widget with problems.
    private func widget(_ tool: ObjectReading) -> ToolWidgetDeclaration?? {
        guard let node = tool["widget"] else { return .some(nil) }
        guard let widget = reader.object(node, path: tool.path("widget"), keys: ["id", "accessible", "invoking", "invoked"]) else { return nil }
        let id = reader.string(widget, "id", required: true)
        if let id, !declaredWidgets.contains(id) {
            reader.report(widget.path("id"), "\"\(id)\" is not a declared widget", at: widget.offset("id"))
        }
        let accessible = reader.bool(widget, "accessible") ?? false
        let invoking = statusLine(widget, "invoking")
        let invoked = statusLine(widget, "invoked")
        guard let id else { return nil }
        return ToolWidgetDeclaration(id: id, accessible: accessible, invoking: invoking, invoked: invoked)
    }

    private func statusLine(_ widget: ObjectReading, _ key: String) -> String? {
        guard let line = reader.string(widget, key) else { return nil }
        if line.count > 64 { reader.report(widget.path(key), "must be at most 64 characters", at: widget.offset(key)) }
        return line
    }

    private func visibility(_ tool: ObjectReading) -> ToolVisibility? {
        guard tool["visibility"] != nil else { return .public }
        guard let text = reader.string(tool, "visibility") else { return nil }
        guard let visibility = ToolVisibility(rawValue: text) else {
            reader.report(tool.path("visibility"), "must be \"public\" or \"private\"", at: tool.offset("visibility"))
            return nil
        }
        return visibility
    }
}

extension JSONPointer {
    /// "": the whole document.
    static let whole = JSONPointer("")!
}
