import WebRules

/// Checks done in Swift before anything reaches curl. C strings end at NUL, and CR/LF in
/// a header would let a caller-supplied value inject extra headers, so both are refused
/// rather than passed through. Error messages never echo header values (they carry tokens).
enum RequestValidation {
    /// Requires an absolute URL whose scheme is allowed. curl would otherwise guess "http"
    /// for scheme-less URLs; we never want a guess.
    static func checkURL(_ url: String, allowedSchemes: Set<String>) throws(HTTPClientError) {
        guard !url.utf8.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }) else {
            throw .invalidURL("URL contains control characters")
        }
        guard let parsed = AbsoluteURL(url) else {
            throw .invalidURL("URL is not an absolute scheme://host URL")
        }
        guard allowedSchemes.contains(parsed.scheme) else {
            throw .invalidURL("scheme \"\(parsed.scheme)\" is not allowed")
        }
    }

    static func checkMethod(_ method: String) throws(HTTPClientError) {
        guard !method.isEmpty, method.utf8.allSatisfy(isTokenByte) else {
            throw .transferFailed("invalid HTTP method")
        }
    }

    /// Turns header pairs into curl's "Name: value" lines.
    static func headerLines(_ headers: [(name: String, value: String)]) throws(HTTPClientError) -> [String] {
        var lines: [String] = []
        var hasExpect = false
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw .transferFailed("invalid request header name")
            }
            guard !value.utf8.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }) else {
                throw .transferFailed("request header value contains control characters")
            }
            if name.lowercased() == "expect" { hasExpect = true }
            // "Name:" with nothing after it tells curl to delete the header; "Name;" is
            // curl's spelling for "send this header with an empty value".
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // Suppress curl's automatic "Expect: 100-continue" on larger bodies: it costs a
        // round trip (or a one-second stall with servers that ignore it).
        if !hasExpect { lines.append("Expect:") }
        return lines
    }

    /// RFC 9110 token characters.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
