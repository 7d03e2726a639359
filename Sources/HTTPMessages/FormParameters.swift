import WebRules

/// Decoded `application/x-www-form-urlencoded` pairs, from a query string or a body, in order.
///
/// Decoding is strict: a `%` not followed by two hex digits, or bytes that are not UTF-8, are a
/// client error rather than something silently repaired.
public struct FormParameters: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init(urlEncoded text: String) throws(HTTPError) {
        for field in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            pairs.append((name, value))
        }
    }

    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, if any.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The names that occur more than once. OAuth forbids repeating a parameter (RFC 6749 §3.1).
    public var repeatedNames: [String] {
        var seen: Set<String> = []
        var repeated: [String] = []
        for pair in pairs where !seen.insert(pair.name).inserted && !repeated.contains(pair.name) {
            repeated.append(pair.name)
        }
        return repeated
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public static func == (lhs: FormParameters, rhs: FormParameters) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Encodes pairs for a query string or a form body.
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    /// RFC 3986 unreserved characters stay as they are; every other byte is %XX.
    public static func percentEncode(_ text: String) -> String { PercentEncoding.component(text) }

    static func decode(_ text: Substring) throws(HTTPError) -> String {
        guard let decoded = PercentEncoding.decode(text, plusAsSpace: true) else {
            throw HTTPError.badRequest("malformed percent-encoding or invalid UTF-8 in form or query")
        }
        return decoded
    }
}
