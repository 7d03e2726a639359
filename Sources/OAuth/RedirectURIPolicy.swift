import WebRules

/// Redirect URI rules in one place: what may be registered, and whether a request's URI matches.
public enum RedirectURIPolicy {
    /// RFC 7591 §2 / RFC 9700 §4.1.1: absolute, no fragment (RFC 6749 §3.1.2), https, or http only
    /// for loopback hosts (RFC 8252 §7.3). Returns the reason when refused.
    public static func registrationProblem(_ uri: String) -> String? {
        guard uri.utf8.count <= 2000 else { return "redirect URI is longer than 2000 characters" }
        // Checked on bytes: as Characters, "#" followed by a combining mark is not "#".
        guard uri.utf8.allSatisfy({ $0 < 0x80 }) else { return "redirect URI must be ASCII (percent-encode anything else)" }
        guard !uri.utf8.contains(UInt8(ascii: "#")) else { return "redirect URI must not contain a fragment" }
        guard !uri.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else {
            return "redirect URI contains spaces, control characters or backslashes"
        }
        guard let parsed = AbsoluteURL(uri), parsed.isHTTP, !parsed.hasUserInfo else {
            return "redirect URI must be an absolute https URL with a host and no user info"
        }
        if parsed.scheme == "http" && !parsed.isLoopback {
            return "redirect URI must use https (http is allowed only for localhost)"
        }
        return nil
    }

    /// Exact string comparison (RFC 9700 §4.1.3), plus the built-in client's fixed prefixes,
    /// where exactly one more path segment of safe characters may follow.
    public static func matches(_ uri: String, registered: [String], prefixes: [String]) -> Bool {
        // Byte comparison: Swift's String equality treats canonically equivalent Unicode as equal.
        if ByteExact.contains(registered, uri) { return true }
        for prefix in prefixes where uri.utf8.starts(with: prefix.utf8) {
            let rest = uri.utf8.dropFirst(prefix.utf8.count)
            if !rest.isEmpty, rest.count <= 128, rest.allSatisfy(isSegmentByte) { return true }
        }
        return false
    }

    private static func isSegmentByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// Appends response parameters to a redirect URI that may already have a query (RFC 6749 §4.1.2).
    public static func appending(_ parameters: [(String, String)], to uri: String) -> String {
        let query = parameters.map { "\(PercentEncoding.component($0.0))=\(PercentEncoding.component($0.1))" }.joined(separator: "&")
        return uri + (uri.contains("?") ? "&" : "?") + query
    }
}
