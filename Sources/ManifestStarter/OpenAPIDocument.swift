/// The parts of an OpenAPI 3.0 or 3.1 document the starter reads: its version, `info` and
/// `paths`. Swagger 2.0 and YAML are refused with what to do instead.
struct OpenAPIDocument {
    let root: JSONObject
    let paths: JSONObject
    /// OpenAPI 3.1 §4.8.2 Info Object; `title` and `version` are required there but read as optional.
    let info: JSONObject

    /// OpenAPI 3.1 §4.8.9 Path Item Object: its operation fields, in the order it lists them.
    static let operationMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    /// The methods a manifest `call` can use (docs/MANIFEST.md, `call.method`).
    static let callableMethods: Set<String> = ["get", "put", "post", "delete", "patch"]

    init(bytes: [UInt8]) throws(StarterError) {
        let root = try FoundationJSONReading.object(from: bytes)
        if let swagger = root["swagger"] {
            let version = swagger.stringValue ?? "2.0"
            throw StarterError("this is a Swagger \(version) document; only OpenAPI 3.0 and 3.1 are read: convert it first (e.g. `npx swagger2openapi swagger.json -o openapi.json`)")
        }
        guard let version = root["openapi"] else {
            throw StarterError("the document has no \"openapi\" version: only OpenAPI 3.0 and 3.1 documents are read")
        }
        // OpenAPI 3.1 §4.8.1 OpenAPI Object: `openapi` is the version string, e.g. "3.1.0".
        guard let text = version.stringValue, text.hasPrefix("3.") else {
            throw StarterError("OpenAPI version \(JSONPrettyPrinter.text(of: version).dropLast()) is not supported: only 3.0 and 3.1 are (\"openapi\": \"3.1.0\")")
        }
        guard let paths = root["paths"]?.objectValue else {
            throw StarterError("the document has no \"paths\" object, so it has no operations to offer as tools")
        }
        self.root = root
        self.paths = paths
        self.info = root["info"]?.objectValue ?? JSONObject()
    }

    /// The path item at `path`, its `$ref` followed (OpenAPI 3.1 §4.8.9.1 `$ref`), with its location.
    func pathItem(_ path: String, warnings: inout StarterWarnings) -> (object: JSONObject, location: String)? {
        guard let item = paths[path] else { return nil }
        let resolver = ReferenceResolver(document: .object(root))
        return resolver.object(item, at: JSONPointer.appending("#/paths", path), warnings: &warnings)
    }

    /// Every operation a manifest can call, paths sorted, methods in the Path Item's order: what
    /// an error lists when an `--include` names none of them.
    var callableOperations: [OperationKey] {
        var ignored = StarterWarnings()
        return paths.keys.sorted().flatMap { path -> [OperationKey] in
            guard let item = pathItem(path, warnings: &ignored)?.object else { return [] }
            return Self.operationMethods.filter { Self.callableMethods.contains($0) && item[$0]?.objectValue != nil }
                .map { OperationKey(method: $0.uppercased(), path: path) }
        }
    }
}

/// One operation as an `--include` names it: "GET /notes/{id}".
struct OperationKey: Hashable, Sendable {
    /// Upper case, as HTTP writes it.
    let method: String
    /// Exactly as a key of the document's `paths`.
    let path: String

    var label: String { "\(method) \(path)" }
}
