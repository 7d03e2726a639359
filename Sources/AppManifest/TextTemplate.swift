import MCP

/// Tool result text (`result.text`, `result.errors`): `{{name}}` is an argument,
/// `{{/pointer}}` a value of the answer, `{{/pointer|count}}` the number of elements there.
/// A missing value is empty text: a template never fails once the manifest loaded.
public struct TextTemplate: Sendable {
    enum Part: Sendable {
        case literal(String)
        case argument(String)
        case value(JSONPointer)
        case count(JSONPointer)
    }

    public let source: String
    let parts: [Part]

    public init(parsing source: String) throws(TemplateSyntaxError) {
        self.source = source
        let bytes = Array(source.utf8)
        var parts: [Part] = []
        var literalStart = 0
        var position = 0
        while position + 1 < bytes.count {
            guard bytes[position] == UInt8(ascii: "{"), bytes[position + 1] == UInt8(ascii: "{") else {
                position += 1
                continue
            }
            guard let close = Self.closing(in: bytes, from: position + 2) else {
                throw TemplateSyntaxError("\"{{\" has no closing \"}}\"")
            }
            if literalStart < position {
                parts.append(.literal(String(decoding: bytes[literalStart..<position], as: UTF8.self)))
            }
            parts.append(try Self.placeholder(String(decoding: bytes[(position + 2)..<close], as: UTF8.self)))
            position = close + 2
            literalStart = position
        }
        if literalStart < bytes.count {
            parts.append(.literal(String(decoding: bytes[literalStart...], as: UTF8.self)))
        }
        self.parts = parts
    }

    private static func closing(in bytes: [UInt8], from start: Int) -> Int? {
        var position = start
        while position + 1 < bytes.count {
            if bytes[position] == UInt8(ascii: "}"), bytes[position + 1] == UInt8(ascii: "}") { return position }
            position += 1
        }
        return nil
    }

    private static func placeholder(_ content: String) throws(TemplateSyntaxError) -> Part {
        guard !content.isEmpty else { throw TemplateSyntaxError("\"{{}}\" names nothing") }
        guard content.utf8.first == UInt8(ascii: "/") else { return .argument(content) }
        let countSuffix = "|count"
        if content.hasSuffix(countSuffix) {
            return .count(try JSONPointer(parsing: String(content.dropLast(countSuffix.count))))
        }
        return .value(try JSONPointer(parsing: content))
    }

    /// The arguments it names, in order of appearance.
    public var argumentNames: [String] {
        parts.compactMap { part in
            if case .argument(let name) = part { return name }
            return nil
        }
    }

    /// The answer pointers it reads, in order of appearance.
    public var pointers: [JSONPointer] {
        parts.compactMap { part in
            switch part {
            case .value(let pointer), .count(let pointer): pointer
            default: nil
            }
        }
    }

    public func render(arguments: [String: Value], answer: Value?) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal):
                text += literal
            case .argument(let name):
                if let value = arguments[name] { text += TemplateValueText.text(of: value) }
            case .value(let pointer):
                if let answer, let value = pointer.resolve(in: answer) { text += TemplateValueText.text(of: value) }
            case .count(let pointer):
                switch answer.flatMap(pointer.resolve(in:)) {
                case .array(let elements): text += String(elements.count)
                case .object(let members): text += String(members.count)
                default: break
                }
            }
        }
        return text
    }
}
