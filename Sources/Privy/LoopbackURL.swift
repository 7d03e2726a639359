/// Decides whether a base URL points at this machine only, so the development login can
/// never be switched on for a server reachable by others.
enum LoopbackURL {
    /// True for http(s)://HOST[:port][/path] where HOST is "localhost", an IPv4 address in
    /// 127.0.0.0/8 (RFC 1122 §3.2.1.3) or "[::1]" (RFC 4291 §2.5.3). User info
    /// ("http://localhost@example.com") is refused outright: its host is not what it seems.
    static func isLoopback(_ url: String) -> Bool {
        let lowered = url.lowercased()
        let rest: Substring
        guard lowered.utf8.allSatisfy({ $0 < 0x80 }) else { return false }  // URIs are ASCII (RFC 3986 §2)
        if lowered.hasPrefix("http://") {
            rest = lowered.dropFirst("http://".count)
        } else if lowered.hasPrefix("https://") {
            rest = lowered.dropFirst("https://".count)
        } else {
            return false
        }
        // RFC 3986 §3.2: the authority ends at the first "/", "?" or "#".
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@"), let (host, port) = split(authority) else { return false }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), Int(port)! <= 65535 else {
                return false
            }
        }
        return host == "localhost" || host == "[::1]" || isLoopbackIPv4(host)
    }

    /// host and optional port text; an IPv6 literal keeps its brackets.
    private static func split(_ authority: Substring) -> (Substring, Substring?)? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { return nil }
            return (host, after.dropFirst())
        }
        guard let colon = authority.firstIndex(of: ":") else { return (authority, nil) }
        return (authority[..<colon], authority[authority.index(after: colon)...])
    }

    /// Strict dotted quad (four decimal octets, no leading zeros) with first octet 127.
    /// Shorthands such as "127.1" or octal "0177.0.0.1" are refused: resolvers disagree on them.
    private static func isLoopbackIPv4(_ host: Substring) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit),
                  part == "0" || !part.hasPrefix("0"),
                  let value = Int(part), value <= 255
            else { return false }
            octets.append(value)
        }
        return octets[0] == 127
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
