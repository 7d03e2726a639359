/// One chosen operation with what surrounds it in the document: its path item (whose
/// `parameters` apply to it too) and the locations warnings name.
struct OperationSite {
    let key: OperationKey
    /// OpenAPI 3.1 §4.8.10 Operation Object.
    let operation: JSONObject
    let operationLocation: String
    /// OpenAPI 3.1 §4.8.9 Path Item Object.
    let pathItem: JSONObject
    let pathItemLocation: String

    init?(_ key: OperationKey, in document: OpenAPIDocument, warnings: inout StarterWarnings) {
        guard let (item, itemLocation) = document.pathItem(key.path, warnings: &warnings),
              let operation = item[key.method.lowercased()]?.objectValue else { return nil }
        self.key = key
        self.operation = operation
        self.operationLocation = JSONPointer.appending(itemLocation, key.method.lowercased())
        self.pathItem = item
        self.pathItemLocation = itemLocation
    }

    /// The `{name}`s of the path template, in order (OpenAPI 3.1 §4.8.8.2 Path Templating).
    var templateNames: [String] {
        var names: [String] = []
        var rest = Substring(key.path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
