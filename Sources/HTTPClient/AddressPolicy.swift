#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SSRF guard's rule: which resolved peer addresses a stranger-supplied URL may reach.
/// Only globally routable unicast is allowed; anything that could land on this host, its
/// private network, or the cloud metadata service (169.254.169.254) is refused.
enum AddressPolicy {
    /// `bytes` is an IPv4 address in network order (4 bytes).
    static func isPublicIPv4(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 4 else { return false }
        let a = bytes[0], b = bytes[1]
        switch a {
        case 0: return false                          // 0/8 "this network"
        case 10: return false                         // 10/8 private
        case 100 where b & 0xC0 == 64: return false   // 100.64/10 carrier-grade NAT
        case 127: return false                        // 127/8 loopback
        case 169 where b == 254: return false         // 169.254/16 link-local, cloud metadata
        case 172 where b & 0xF0 == 16: return false   // 172.16/12 private
        case 192 where b == 168: return false         // 192.168/16 private
        case 224...255: return false                  // 224/4 multicast, 240/4 reserved, broadcast
        default: return true
        }
    }

    /// `bytes` is an IPv6 address in network order (16 bytes).
    static func isPublicIPv6(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 16 else { return false }
        let embeddedIPv4 = Array(bytes[12..<16])
        // ::ffff:a.b.c.d (IPv4-mapped) reaches the IPv4 address; judge that instead.
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return isPublicIPv4(embeddedIPv4)
        }
        // ::a.b.c.d (deprecated IPv4-compatible); also covers :: and ::1, which map into 0/8.
        if bytes[0..<12].allSatisfy({ $0 == 0 }) {
            return isPublicIPv4(embeddedIPv4)
        }
        // 64:ff9b::/96 (NAT64) would be translated to the embedded IPv4 address.
        if bytes[0..<12].elementsEqual([0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]) {
            return isPublicIPv4(embeddedIPv4)
        }
        if bytes[0] & 0xFE == 0xFC { return false }                   // fc00::/7 unique local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return false } // fe80::/10 link-local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0xC0 { return false } // fec0::/10 old site-local
        if bytes[0] == 0xFF { return false }                          // ff00::/8 multicast
        return true
    }

    /// Judges a socket address as curl hands it to the open-socket callback.
    /// Returns nil when allowed, or the printable address when refused.
    static func refusal(family: Int32, address: UnsafeRawPointer) -> String? {
        switch family {
        case AF_INET:
            let sin = address.loadUnaligned(as: sockaddr_in.self)
            let bytes = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
            return isPublicIPv4(bytes) ? nil : bytes.map(String.init).joined(separator: ".")
        case AF_INET6:
            let sin6 = address.loadUnaligned(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
            return isPublicIPv6(bytes) ? nil : ipv6Text(sin6.sin6_addr)
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
