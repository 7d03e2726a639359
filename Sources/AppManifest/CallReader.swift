/// `call`: the HTTP method, path template, query, body and headers of a tool's one API call.
struct CallReader {
    let reader: ManifestReader
    let context: ManifestContext
    /// Nil when the input schema could not be read: argument names are then not checked.
    let arguments: ArgumentNames?

    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    func read(_ node: JSONNode, path: String) -> CallDeclaration? {
        guard let call = reader.object(node, path: path, keys: ["method", "path", "query", "body", "headers", "timeoutSeconds"]) else { return nil }
        let method = reader.string(call, "method", required: true)
        if let method, !Self.methods.contains(method) {
            reader.report(call.path("method"), "must be one of GET, POST, PUT, PATCH or DELETE", at: call.offset("method"))
        }
        let template = pathTemplate(call)
        let query = self.query(call)
        let body = self.body(call, method: method)
        let headers = call["headers"].map { HeaderReader(reader: reader, environment: context.environment).read($0, path: call.path("headers")) } ?? []
        let timeout = reader.number(call, "timeoutSeconds")
        if let timeout, !(timeout > 0 && timeout <= context.maxTimeoutSeconds) {
            reader.report(call.path("timeoutSeconds"), "must be between 0 and \(JSONNumberText.format(context.maxTimeoutSeconds)) seconds",
                          at: call.offset("timeoutSeconds"))
        }
        guard let method, let template, let body else { return nil }
        return CallDeclaration(method: method, path: template, query: query, body: body, headers: headers, timeoutSeconds: timeout)
    }

    /// `path`: each `{name}` must be a required string, integer or number property, so the path
    /// always has all its segments.
    private func pathTemplate(_ call: ObjectReading) -> PathTemplate? {
        guard let source = reader.string(call, "path", required: true) else { return nil }
        let path = call.path("path")
        let at = call.offset("path")
        let template: PathTemplate
        do throws(TemplateSyntaxError) {
            template = try PathTemplate(parsing: source)
        } catch {
            reader.report(path, error.message, at: at)
            return nil
        }
        guard let arguments else { return template }
        var checked: Set<String> = []
        for name in template.argumentNames where checked.insert(name).inserted {
            if !arguments.isProperty(name) {
                reader.report(path, "{\(name)} is not an input property", at: at)
            } else if !arguments.isRequired(name) {
                reader.report(path, "{\(name)} must be a required input property", at: at)
            } else if !arguments.isScalar(name) {
                reader.report(path, "{\(name)} must be a string, integer or number property", at: at)
            }
        }
        return template
    }

    private func query(_ call: ObjectReading) -> [String] {
        guard let node = call["query"], let entries = reader.strings(node, path: call.path("query")) else { return [] }
        var seen: Set<String> = []
        for entry in entries {
            if !seen.insert(entry.text).inserted {
                reader.report(entry.path, "duplicate query parameter \"\(entry.text)\"", at: entry.node.offset)
            } else {
                arguments?.reportUnknown([entry.text], path: entry.path, at: entry.node.offset, reader: reader)
            }
        }
        return entries.map(\.text)
    }

    /// `body`: "arguments", a JSON template, or by default the arguments for POST, PUT and PATCH.
    private func body(_ call: ObjectReading, method: String?) -> BodyDeclaration? {
        guard let node = call["body"] else {
            return method == "GET" || method == "DELETE" ? BodyDeclaration.none : .arguments
        }
        if node.string == "arguments" { return .arguments }
        let path = call.path("body")
        let template = BodyTemplate(reader.value(node, path: path))
        for slot in template.argumentSlots {
            arguments?.reportUnknown([slot.name], path: path + slot.path, at: node.offset, reader: reader)
        }
        return .template(template)
    }
}
