@testable import ManifestStarter

/// One-line JSON of a value, keys in its own order, for expectations that fit on a line.
enum CompactJSON {
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number): number
        case .string(let string): JSONPrettyPrinter.quoted(string)
        case .array(let elements): "[" + elements.map(text).joined(separator: ",") + "]"
        case .object(let object): "{" + object.entries.map { JSONPrettyPrinter.quoted($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func text(_ object: JSONObject) -> String { text(.object(object)) }

    /// `schema` simplified inside a document whose `components` are given, with the warnings.
    static func simplified(_ schema: String, components: String = "{}") throws -> (schema: String, warnings: [String]) {
        let bytes = Array(#"{"schema": \#(schema), "components": \#(components)}"#.utf8)
        let document = JSONValue.object(try FoundationJSONReading.object(from: bytes))
        var warnings = StarterWarnings()
        let result = SchemaSimplifier(document: document).simplify(JSONPointer.resolve("#/schema", in: document)!, at: "#/schema", warnings: &warnings)
        return (text(result), warnings.lines)
    }
}
