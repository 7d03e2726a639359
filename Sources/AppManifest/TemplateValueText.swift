import MCP

/// How one value appears inside template text: strings as they are, others as compact JSON,
/// cut at 200 characters so one large field cannot flood the model's context.
enum TemplateValueText {
    static let maximumCharacters = 200

    static func text(of value: Value) -> String {
        switch value {
        case .string(let text): cut(text)
        default: cut(JSONText.encodedString(value))
        }
    }

    static func cut(_ text: String) -> String {
        // No Character is formed for the usual short value.
        guard text.utf8.count > maximumCharacters else { return text }
        var end = text.startIndex
        var count = 0
        while count < maximumCharacters, end < text.endIndex {
            end = text.index(after: end)
            count += 1
        }
        guard end < text.endIndex else { return text }
        return String(text[..<end]) + "…"
    }
}
