/// An absolute URL taken apart by the one strict parser every rule here uses (RFC 3986 §3):
/// `scheme://[userinfo@]host[:port][path][?query][#fragment]`. Stricter than Foundation's `URL`,
/// on purpose: only ASCII (RFC 3986 §2; anything else must be percent-encoded, and refusing it
/// keeps Swift's grapheme clusters from hiding a "/", "@" or "#" behind a combining mark), a
/// scheme of RFC 3986 characters, a non-empty host, and a port of 1...65535 in at most five
/// digits. User info is kept apart, never mistaken for the host.
public struct AbsoluteURL: Sendable, Equatable {
    /// Lowercased.
    public let scheme: String
    /// Whether an `@` put user info before the host ("https://localhost@evil.example").
    public let hasUserInfo: Bool
    /// Lowercased; an IPv6 literal keeps its brackets.
    public let host: String
    public let port: Int?
    /// Everything after the authority: path, query and fragment, as written.
    public let rest: Substring

    public init?(_ text: String) {
        // The scheme ends at the first ":" (RFC 3986 §3.1), and "//" must start the authority.
        guard text.utf8.allSatisfy({ $0 < 0x80 }), let colon = text.firstIndex(of: ":"),
              text[text.index(after: colon)...].hasPrefix("//")
        else { return nil }
        let scheme = text[..<colon]
        guard let first = scheme.utf8.first, Self.isLetter(first), scheme.utf8.allSatisfy(Self.isSchemeByte) else { return nil }
        let afterScheme = text[text.index(colon, offsetBy: 3)...]
        // RFC 3986 §3.2: the authority ends at the first "/", "?" or "#".
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        // The host follows the last "@" (RFC 3986 §3.2.1); all before it is user info.
        let userInfoEnd = authority.lastIndex(of: "@")
        if let userInfoEnd { authority = authority[authority.index(after: userInfoEnd)...] }

        var host = authority
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = Self.port(after.dropFirst()) else { return nil }
                port = value
            }
        } else if let colon = authority.firstIndex(of: ":") {
            guard let value = Self.port(authority[authority.index(after: colon)...]) else { return nil }
            port = value
            host = authority[..<colon]
        }
        guard !host.isEmpty, host != "[]" else { return nil }
        self.scheme = scheme.lowercased()
        self.hasUserInfo = userInfoEnd != nil
        self.host = host.lowercased()
        self.port = port
        self.rest = afterScheme[authorityEnd...]
    }

    /// True for http and https, the only schemes a web client of ours speaks.
    public var isHTTP: Bool { scheme == "http" || scheme == "https" }

    /// Host and non-default port, as a person would name the server ("chatgpt.com", "localhost:3002").
    public var displayHost: String {
        guard let port, port != defaultPort else { return host }
        return "\(host):\(port)"
    }

    /// Whether this URL can only reach this machine: an http(s) URL without user info whose host
    /// is a loopback name or address (`HostAddress.isLoopback`).
    public var isLoopback: Bool { isHTTP && !hasUserInfo && HostAddress(host).isLoopback }

    /// RFC 9110 §4.2: 80 for http, 443 for https.
    private var defaultPort: Int? { scheme == "https" ? 443 : scheme == "http" ? 80 : nil }

    /// One to five decimal digits, 1...65535.
    private static func port(_ text: Substring) -> Int? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = Int(text), (1...65535).contains(value)
        else { return nil }
        return value
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    /// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }
}
