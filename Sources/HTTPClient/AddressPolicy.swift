#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SSRF guard's rule: which resolved peer addresses a stranger-supplied URL may reach.
/// Only globally reachable unicast is allowed (`SpecialPurposeAddresses`); anything that could
/// land on this host, its private network, or the cloud metadata service (169.254.169.254) is
/// refused.
enum AddressPolicy {
    /// `bytes` is an IPv4 address in network order (4 bytes).
    static func isPublicIPv4(_ bytes: [UInt8]) -> Bool { bytes.count == 4 && refusingBlock(ipv4: bytes) == nil }

    /// `bytes` is an IPv6 address in network order (16 bytes).
    static func isPublicIPv6(_ bytes: [UInt8]) -> Bool { bytes.count == 16 && refusingBlock(ipv6: bytes) == nil }

    /// The registry name of the block that refuses this IPv4 address, or nil when it is public.
    static func refusingBlock(ipv4 bytes: [UInt8]) -> String? {
        SpecialPurposeAddresses.ipv4.first { $0.prefix.contains(bytes) }?.name
    }

    /// The registry name of the block that refuses this IPv6 address, or nil when it is public.
    /// An address that embeds an IPv4 address is refused when that address is.
    static func refusingBlock(ipv6 bytes: [UInt8]) -> String? {
        guard let block = SpecialPurposeAddresses.ipv6.first(where: { $0.prefix.contains(bytes) }) else { return nil }
        switch block.rule {
        case .refuse:
            return block.name
        case .judgeEmbeddedIPv4(let offset):
            return refusingBlock(ipv4: Array(bytes[offset..<(offset + 4)])).map { "\(block.name) of \($0)" }
        }
    }

    /// Judges a socket address as curl hands it to the open-socket callback.
    /// Returns nil when allowed, or the printable address and the refusing block when refused
    /// (for the server log only: it says how a name resolved).
    static func refusal(family: Int32, address: UnsafeRawPointer) -> String? {
        switch family {
        case AF_INET:
            let sin = address.loadUnaligned(as: sockaddr_in.self)
            let bytes = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
            return refusingBlock(ipv4: bytes).map { bytes.map(String.init).joined(separator: ".") + " in \($0)" }
        case AF_INET6:
            let sin6 = address.loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
            return refusingBlock(ipv6: bytes).map { ipv6Text(sin6.sin6_addr) + " in \($0)" }
        default:
            // Unix sockets or anything unexpected: never allowed for untrusted URLs.
            return "address family \(family)"
        }
    }

    private static func ipv6Text(_ address: in6_addr) -> String {
        var address = address
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "IPv6 address" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
