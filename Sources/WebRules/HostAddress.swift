#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a URL's host names: a DNS name, or an IPv4 or IPv6 address read by the C library's
/// `inet_pton`, the same reader the resolver uses, so the answer here is the address a
/// connection would reach. Only strict forms are addresses: dotted quads of four decimal octets
/// (no "127.1", no octal "0177.0.0.1": resolvers disagree on them) and bracketed IPv6.
public enum HostAddress: Sendable, Equatable {
    case name(String)
    case ipv4([UInt8])
    case ipv6([UInt8])

    /// `host` as in a URL: lowercased or not, IPv6 in brackets.
    public init(_ host: String) {
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2 {
            if let bytes = Self.parse(String(host.dropFirst().dropLast()), family: AF_INET6, count: 16) {
                self = .ipv6(bytes)
                return
            }
        } else if let bytes = Self.parse(host, family: AF_INET, count: 4) {
            self = .ipv4(bytes)
            return
        }
        self = .name(host.lowercased())
    }

    /// This machine only: `localhost`, 127.0.0.0/8 (RFC 1122 §3.2.1.3), `::1` (RFC 4291 §2.5.3),
    /// and 127.0.0.0/8 written as an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2). A name with a
    /// trailing dot, percent-encoding or anything else is not: when in doubt, the answer that
    /// keeps a development-only feature off and http refused is "no".
    public var isLoopback: Bool {
        switch self {
        case .name(let name):
            return name == "localhost"
        case .ipv4(let bytes):
            return bytes[0] == 127
        case .ipv6(let bytes):
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return mapped && bytes[12] == 127
        }
    }

    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0 }) else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let parsed = bytes.withUnsafeMutableBytes { buffer in inet_pton(family, text, buffer.baseAddress) }
        return parsed == 1 ? bytes : nil
    }
}
