import MCP

/// The `type` keyword (JSON Schema 2020-12 validation §6.1.1): one type or several.
struct JSONTypeSet: Sendable, Equatable {
    enum Name: String, Sendable, CaseIterable {
        case null, boolean, object, array, number, integer, string

        var phrase: String {
            switch self {
            case .null: "null"
            case .boolean: "a boolean"
            case .object: "an object"
            case .array: "an array"
            case .number: "a number"
            case .integer: "an integer"
            case .string: "a string"
            }
        }
    }

    /// In the order the schema lists them, for the message.
    let names: [Name]

    /// JSON Schema 2020-12 core §4.2.1: an integer is a number without a fractional part, so
    /// 3.0 is an integer and every integer is a number.
    func matches(_ value: Value) -> Bool {
        for name in names {
            switch (name, value) {
            case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string),
                 (.number, .int), (.number, .double), (.integer, .int):
                return true
            case (.integer, .double(let number)) where number.isFinite && number == number.rounded():
                return true
            default:
                continue
            }
        }
        return false
    }

    /// "must be a string", "must be a string or null", "must be a string, an integer or null".
    var requirement: String {
        let phrases = names.map(\.phrase)
        guard let last = phrases.last else { return "must be nothing" }
        guard phrases.count > 1 else { return "must be \(last)" }
        return "must be \(phrases.dropLast().joined(separator: ", ")) or \(last)"
    }
}
