/// One manifest tool from one operation, its keys in docs/MANIFEST.md's order: name, title,
/// description, scope, inputSchema, outputSchema, annotations, call, result.
enum StarterTool {
    /// The scope a tool needs: "read" for GET, "write" for what changes something.
    static func scope(of method: String) -> String {
        method == "GET" || method == "HEAD" ? "read" : "write"
    }

    static func tool(site: OperationSite, name: String, document: JSONValue, warnings: inout StarterWarnings) -> JSONObject {
        let operation = site.operation
        let input = ToolInput(site: site, document: document, warnings: &warnings)
        let output = ToolOutput(site: site, document: document, warnings: &warnings)
        let summary = nonEmpty(operation["summary"]?.stringValue)

        var tool = JSONObject()
        tool["name"] = .string(name)
        if let summary { tool["title"] = .string(summary) }
        // The description is what the model reads to choose the tool: the operation's own words,
        // else a reminder that the starter cannot guess them.
        tool["description"] = .string(nonEmpty(operation["description"]?.stringValue) ?? summary
            ?? "TODO: say what \(site.key.label) does and when the model should call it.")
        tool["scope"] = .string(scope(of: site.key.method))
        tool["inputSchema"] = .object(input.inputSchema)
        if let outputSchema = output.outputSchema { tool["outputSchema"] = .object(outputSchema) }
        tool["annotations"] = .object(annotations(of: site.key.method))

        var call = JSONObject()
        call["method"] = .string(site.key.method)
        // OpenAPI's `{name}` path templating (§4.8.8.2) is the manifest's too.
        call["path"] = .string(site.key.path)
        if !input.query.isEmpty { call["query"] = .array(input.query.map(JSONValue.string)) }
        if let body = input.body { call["body"] = body }
        tool["call"] = .object(call)

        if let structuredContent = output.structuredContent {
            tool["result"] = .object(JSONObject(["structuredContent": structuredContent]))
        }
        return tool
    }

    /// MCP tool annotations (MCP 2025-06-18, ToolAnnotations): GET reads only; DELETE destroys.
    /// The hints the method cannot tell (idempotent, open world) are left for the user.
    static func annotations(of method: String) -> JSONObject {
        switch method {
        case "GET": JSONObject(["readOnlyHint": .bool(true)])
        case "DELETE": JSONObject(["readOnlyHint": .bool(false), "destructiveHint": .bool(true)])
        default: JSONObject(["readOnlyHint": .bool(false)])
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, text.contains(where: { !$0.isWhitespace }) else { return nil }
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
