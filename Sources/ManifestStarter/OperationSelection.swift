/// The operations chosen with `--include 'METHOD /path'`, checked against the document. Choosing
/// is left to the user on purpose: a model picks better among a few well-described tools than
/// among every endpoint of an API.
enum OperationSelection {
    /// How many operations an error lists before "and N more".
    static let listedOperations = 20

    /// The chosen operations in the order given, each once; every problem at once otherwise.
    static func operations(_ includes: [String], in document: OpenAPIDocument) throws(StarterError) -> [OperationKey] {
        guard !includes.isEmpty else {
            throw StarterError("choose the operations to offer as tools with --include 'METHOD /path' (a few well-described ones serve the model better than all of them); \(available(in: document))")
        }
        var chosen: [OperationKey] = []
        var problems: [String] = []
        var ignored = StarterWarnings()
        for include in includes {
            guard let key = parse(include) else {
                problems.append("--include \"\(include)\" is not \"METHOD /path\", e.g. --include 'GET /notes'")
                continue
            }
            guard let item = document.pathItem(key.path, warnings: &ignored)?.object,
                  item[key.method.lowercased()]?.objectValue != nil else {
                problems.append("--include \"\(include)\": no operation \(key.label) in the document's paths; \(available(in: document))")
                continue
            }
            guard OpenAPIDocument.callableMethods.contains(key.method.lowercased()) else {
                problems.append("--include \"\(include)\": a manifest tool calls GET, POST, PUT, PATCH or DELETE, not \(key.method)")
                continue
            }
            if !chosen.contains(key) { chosen.append(key) }
        }
        guard problems.isEmpty else { throw StarterError(problems: problems) }
        return chosen
    }

    /// "GET /notes" (any case of method, any whitespace between) as a key; nil if not of that form.
    static func parse(_ include: String) -> OperationKey? {
        let parts = include.split(maxSplits: 1, whereSeparator: \.isWhitespace)
        guard parts.count == 2 else { return nil }
        let method = parts[0].uppercased()
        var path = parts[1].drop(while: \.isWhitespace)
        while path.last?.isWhitespace == true { path = path.dropLast() }
        guard method.allSatisfy({ $0.isASCII && $0.isLetter }), path.hasPrefix("/") else { return nil }
        return OperationKey(method: method, path: String(path))
    }

    /// "the document has: GET /notes, POST /notes (and 3 more)".
    static func available(in document: OpenAPIDocument) -> String {
        let operations = document.callableOperations
        guard !operations.isEmpty else { return "the document has no GET, POST, PUT, PATCH or DELETE operations" }
        let listed = operations.prefix(listedOperations).map(\.label).joined(separator: ", ")
        let more = operations.count > listedOperations ? " (and \(operations.count - listedOperations) more)" : ""
        return "the document has: \(listed)\(more)"
    }
}
