import MCP

/// A JSON Pointer (RFC 6901): "" is the whole document, "/a/0/b~1c" walks keys and array indexes.
/// Parsed once when the manifest loads; resolving it allocates nothing.
public struct JSONPointer: Sendable, Equatable {
    /// One reference token, with the array index it can also mean.
    struct Token: Sendable, Equatable {
        let key: String
        /// RFC 6901 §4: "0" or digits without a leading zero; "-" and others index nothing.
        let index: Int?
    }

    /// As written in the manifest.
    public let text: String
    let tokens: [Token]

    /// Nil when `text` is not a pointer.
    public init?(_ text: String) {
        guard let pointer = try? Self(parsing: text) else { return nil }
        self = pointer
    }

    // RFC 6901 §3: json-pointer = *( "/" reference-token ); "~" only as "~0" or "~1".
    init(parsing text: String) throws(TemplateSyntaxError) {
        self.text = text
        guard !text.isEmpty else {
            tokens = []
            return
        }
        let bytes = Array(text.utf8)
        guard bytes[0] == UInt8(ascii: "/") else {
            throw TemplateSyntaxError("\"\(text)\" is not a JSON Pointer: it must be \"\" or start with \"/\"")
        }
        var tokens: [Token] = []
        var current: [UInt8] = []
        var position = 1
        while position <= bytes.count {
            if position == bytes.count || bytes[position] == UInt8(ascii: "/") {
                tokens.append(Self.token(current))
                current.removeAll(keepingCapacity: true)
                position += 1
                continue
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "~") {
                // RFC 6901 §4: "~1" is "/", "~0" is "~".
                let next = position + 1 < bytes.count ? bytes[position + 1] : 0
                guard next == UInt8(ascii: "0") || next == UInt8(ascii: "1") else {
                    throw TemplateSyntaxError("\"\(text)\" is not a JSON Pointer: \"~\" must be followed by 0 or 1")
                }
                current.append(next == UInt8(ascii: "0") ? UInt8(ascii: "~") : UInt8(ascii: "/"))
                position += 2
            } else {
                current.append(byte)
                position += 1
            }
        }
        self.tokens = tokens
    }

    private static func token(_ bytes: [UInt8]) -> Token {
        let key = String(decoding: bytes, as: UTF8.self)
        // RFC 6901 §4: array-index = %x30 / ( %x31-39 *(%x30-39) )
        guard let first = bytes.first, bytes.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }),
              first != UInt8(ascii: "0") || bytes.count == 1, bytes.count <= 18
        else { return Token(key: key, index: nil) }
        return Token(key: key, index: Int(key))
    }

    /// The value the pointer names, or nil when there is none (RFC 6901 §7: an error condition
    /// the caller decides about).
    public func resolve(in value: Value) -> Value? {
        var current = value
        for token in tokens {
            switch current {
            case .object(let members):
                guard let member = members[token.key] else { return nil }
                current = member
            case .array(let elements):
                guard let index = token.index, index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
