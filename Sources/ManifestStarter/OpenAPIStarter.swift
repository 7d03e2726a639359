/// `FCGIApp manifest from-openapi`: a starter app manifest (docs/MANIFEST.md) with one tool per
/// operation the user chose from an OpenAPI 3.0 or 3.1 JSON document. What the document says
/// that a manifest cannot is left out and reported as a warning, so the result passes
/// `FCGIApp check` once its TODO sentences are written.
public enum OpenAPIStarter {
    /// Where the written manifest expects the JSON Schema of the format, for editors.
    static let schemaReference = "schema/app-manifest.schema.json"

    /// The manifest for the operations in `includes` ("METHOD /path", the path exactly as a key
    /// of the document's `paths`), and the warnings about what did not fit.
    public static func manifest(openAPI: [UInt8], includes: [String]) throws(StarterError) -> StarterResult {
        let document = try OpenAPIDocument(bytes: openAPI)
        let chosen = try OperationSelection.operations(includes, in: document)
        let root = JSONValue.object(document.root)

        var warnings = StarterWarnings()
        var names = ToolNames()
        var tools: [JSONValue] = []
        var usedScopes: Set<String> = []
        for key in chosen {
            guard let site = OperationSite(key, in: document, warnings: &warnings) else { continue }
            let name = names.claim(operationId: site.operation["operationId"]?.stringValue, key: key)
            tools.append(.object(StarterTool.tool(site: site, name: name, document: root, warnings: &warnings)))
            usedScopes.insert(StarterTool.scope(of: key.method))
        }

        var manifest = JSONObject()
        manifest["$schema"] = .string(schemaReference)
        manifest["server"] = .object(server(info: document.info))
        manifest["scopes"] = .array(["read", "write"].filter(usedScopes.contains).map { scope in
            .object(JSONObject(["name": .string(scope), "consent": .string("TODO: what users allow (\(scope))")]))
        })
        manifest["tools"] = .array(tools)
        return StarterResult(text: JSONPrettyPrinter.text(of: .object(manifest)), warnings: warnings.lines)
    }

    /// `server` from the Info Object (OpenAPI 3.1 §4.8.2): name, title, version, instructions.
    static func server(info: JSONObject) -> JSONObject {
        let title = info["title"]?.stringValue
        var server = JSONObject()
        server["name"] = .string(ServerName.from(title: title))
        if let title { server["title"] = .string(title) }
        if let version = info["version"]?.stringValue { server["version"] = .string(version) }
        server["instructions"] = .string("TODO: tell the model what this app is for and when to use each tool.")
        return server
    }
}
