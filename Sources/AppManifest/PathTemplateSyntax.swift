/// The reading of `call.path`: an absolute path (RFC 3986 §3.3) whose literal text is already
/// percent-encoded, with `{name}` placeholders. Anything that could leave the backend's path (a
/// scheme, an authority, a query, a fragment, dot segments) is refused when the manifest loads.
enum PathTemplateSyntax {
    private static let rule = "must be a path starting with \"/\""

    static func parts(of source: String) throws(TemplateSyntaxError) -> [PathTemplate.Part] {
        let bytes = Array(source.utf8)
        guard bytes.first == UInt8(ascii: "/") else {
            throw failure(hasScheme(bytes) ? "absolute URLs are not allowed" : nil)
        }
        // RFC 3986 §4.2: "//" starts an authority, another host.
        guard bytes.count < 2 || bytes[1] != UInt8(ascii: "/") else {
            throw failure("\"//\" at the start would name a host")
        }
        var parts: [PathTemplate.Part] = []
        var literal: [UInt8] = []
        var position = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"):
                guard let close = bytes[(position + 1)...].firstIndex(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "{") }),
                      bytes[close] == UInt8(ascii: "}")
                else { throw failure("unbalanced \"{\" or \"}\"") }
                guard close > position + 1 else { throw failure("\"{}\" names no argument") }
                if !literal.isEmpty {
                    parts.append(.literal(String(decoding: literal, as: UTF8.self)))
                    literal.removeAll()
                }
                parts.append(.argument(String(decoding: bytes[(position + 1)..<close], as: UTF8.self)))
                position = close + 1
            case UInt8(ascii: "}"):
                throw failure("unbalanced \"{\" or \"}\"")
            case UInt8(ascii: "?"), UInt8(ascii: "#"):
                throw failure("\"?\" and \"#\" are not allowed (call.query sends query parameters)")
            case UInt8(ascii: "%"):
                guard position + 2 < bytes.count, isHexDigit(bytes[position + 1]), isHexDigit(bytes[position + 2]) else {
                    throw failure("\"%\" must start a percent-encoded byte")
                }
                literal.append(contentsOf: bytes[position...(position + 2)])
                position += 3
            default:
                guard byte == UInt8(ascii: "/") || isPathCharacter(byte) else {
                    throw failure(byte < 0x80 && byte > 0x20
                        ? "\"\(Character(Unicode.Scalar(byte)))\" must be percent-encoded"
                        : "spaces, control and non-ASCII characters must be percent-encoded")
                }
                literal.append(byte)
                position += 1
            }
        }
        if !literal.isEmpty { parts.append(.literal(String(decoding: literal, as: UTF8.self))) }
        try checkDotSegments(bytes)
        return parts
    }

    /// RFC 3986 §5.2.4: clients and servers remove "." and ".." segments, also encoded ones
    /// (§2.3: "%2E" is "."), so the path would not be the one written.
    private static func checkDotSegments(_ bytes: [UInt8]) throws(TemplateSyntaxError) {
        for segment in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let decoded = String(decoding: segment, as: UTF8.self).replacingPercentEncodedDots()
            if decoded == "." || decoded == ".." { throw failure("\".\" and \"..\" segments are not allowed") }
        }
    }

    /// RFC 3986 §3.1: a scheme is a letter, then letters, digits, "+", "-" or ".", then ":".
    private static func hasScheme(_ bytes: [UInt8]) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isLetter(bytes[0]) else { return false }
        return bytes[..<colon].allSatisfy { isLetter($0) || $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: "+")
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@" ("%" handled apart).
    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        if isLetter(byte) || byte &- UInt8(ascii: "0") < 10 { return true }
        return "-._~!$&'()*+,;=:@".utf8.contains(byte)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }

    private static func failure(_ reason: String?) -> TemplateSyntaxError {
        TemplateSyntaxError(reason.map { "\(rule): \($0)" } ?? rule)
    }
}

private extension String {
    func replacingPercentEncodedDots() -> String {
        var text = self
        for encoded in ["%2E", "%2e"] { text = text.replacing(encoded, with: ".") }
        return text
    }
}
