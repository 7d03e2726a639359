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

    /// Read as bytes: every delimiter is ASCII, and a URL is read on every request that carries
    /// an `Origin`, so no Character (grapheme) is ever formed.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        // The scheme ends at the first ":" (RFC 3986 §3.1), and "//" must start the authority.
        guard bytes.allSatisfy({ $0 < 0x80 }), let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              bytes.count >= colon + 3, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/"),
              let first = bytes.first, Self.isLetter(first), bytes[..<colon].allSatisfy(Self.isSchemeByte)
        else { return nil }
        // RFC 3986 §3.2: the authority ends at the first "/", "?" or "#".
        let authorityEnd = bytes[(colon + 3)...].firstIndex {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? bytes.endIndex
        // The host follows the last "@" (RFC 3986 §3.2.1); all before it is user info.
        let userInfoEnd = bytes[(colon + 3)..<authorityEnd].lastIndex(of: UInt8(ascii: "@"))
        let hostStart = userInfoEnd.map { $0 + 1 } ?? colon + 3

        var hostEnd = authorityEnd
        var port: Int?
        if hostStart < authorityEnd, bytes[hostStart] == UInt8(ascii: "[") {
            guard let close = bytes[hostStart..<authorityEnd].firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostEnd = close + 1
            if hostEnd < authorityEnd {
                guard bytes[hostEnd] == UInt8(ascii: ":"), let value = Self.port(bytes[(hostEnd + 1)..<authorityEnd]) else { return nil }
                port = value
            }
        } else if let portColon = bytes[hostStart..<authorityEnd].firstIndex(of: UInt8(ascii: ":")) {
            guard let value = Self.port(bytes[(portColon + 1)..<authorityEnd]) else { return nil }
            port = value
            hostEnd = portColon
        }
        let host = bytes[hostStart..<hostEnd]
        guard !host.isEmpty, !host.elementsEqual("[]".utf8) else { return nil }
        self.scheme = Self.lowercased(bytes[..<colon])
        self.hasUserInfo = userInfoEnd != nil
        self.host = Self.lowercased(host)
        self.port = port
        self.rest = text[text.utf8.index(text.startIndex, offsetBy: authorityEnd)...]
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
    private static func port(_ digits: ArraySlice<UInt8>) -> Int? {
        guard (1...5).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (1...65535).contains(value) ? value : nil
    }

    private static func lowercased(_ ascii: ArraySlice<UInt8>) -> String {
        String(decoding: ascii.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    /// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }
}
