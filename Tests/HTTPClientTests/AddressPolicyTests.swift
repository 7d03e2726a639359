#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import HTTPClient
import Testing

/// The SSRF guard's table against the IANA special-purpose registries: for every block, an
/// address inside is refused and an address just outside (the neighbour of its first or last
/// address) is allowed, unless that neighbour lies in another refused block.
@Suite struct AddressPolicyTests {
    private static func bytes(_ text: String) -> [UInt8] {
        let family = text.contains(":") ? AF_INET6 : AF_INET
        var buffer = [UInt8](repeating: 0, count: family == AF_INET6 ? 16 : 4)
        let parsed = buffer.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        precondition(parsed == 1, "test address \(text) does not parse")
        return buffer
    }

    private static func isPublic(_ text: String) -> Bool {
        let address = bytes(text)
        return address.count == 4 ? AddressPolicy.isPublicIPv4(address) : AddressPolicy.isPublicIPv6(address)
    }

    /// (block, addresses inside, public addresses just outside).
    static let blocks: [(String, [String], [String])] = [
        // IPv4 special-purpose registry
        ("0.0.0.0/8", ["0.0.0.0", "0.255.255.255"], ["1.0.0.0"]),
        ("10.0.0.0/8", ["10.0.0.1", "10.255.255.255"], ["9.255.255.255", "11.0.0.0"]),
        ("100.64.0.0/10", ["100.64.0.0", "100.127.255.255"], ["100.63.255.255", "100.128.0.0"]),
        ("127.0.0.0/8", ["127.0.0.1", "127.255.255.255"], ["126.255.255.255", "128.0.0.0"]),
        ("169.254.0.0/16", ["169.254.169.254", "169.254.0.0"], ["169.253.255.255", "169.255.0.0"]),
        ("172.16.0.0/12", ["172.16.0.1", "172.31.255.255"], ["172.15.255.255", "172.32.0.0"]),
        ("192.0.0.0/24", ["192.0.0.1", "192.0.0.9", "192.0.0.10", "192.0.0.170", "192.0.0.255"], ["191.255.255.255", "192.0.1.0"]),
        ("192.0.2.0/24", ["192.0.2.0", "192.0.2.255"], ["192.0.1.255", "192.0.3.0"]),
        ("192.88.99.0/24", ["192.88.99.1", "192.88.99.2"], ["192.88.98.255", "192.88.100.0"]),
        ("192.168.0.0/16", ["192.168.1.1", "192.168.255.255"], ["192.167.255.255", "192.169.0.0"]),
        ("198.18.0.0/15", ["198.18.0.0", "198.19.255.255"], ["198.17.255.255", "198.20.0.0"]),
        ("198.51.100.0/24", ["198.51.100.7"], ["198.51.99.255", "198.51.101.0"]),
        ("203.0.113.0/24", ["203.0.113.9"], ["203.0.112.255", "203.0.114.0"]),
        ("224.0.0.0/4", ["224.0.0.1", "239.255.255.250"], ["223.255.255.255"]),
        ("240.0.0.0/4", ["240.0.0.1", "255.255.255.255"], []),
        // IPv6 special-purpose registry
        ("::/128", ["::"], []),
        ("::1/128", ["::1"], []),
        ("::ffff:0:0/96 (private IPv4)", ["::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:198.18.0.1"],
         ["::ffff:8.8.8.8"]),
        ("::/96", ["::8.8.8.8", "::0.0.0.2"], ["::1:0:0"]),
        ("64:ff9b::/96 (private IPv4)", ["64:ff9b::192.168.1.1", "64:ff9b::127.0.0.1", "64:ff9b::203.0.113.1"],
         ["64:ff9b::8.8.8.8", "64:ff9b:0:0:0:1::"]),
        ("64:ff9b:1::/48", ["64:ff9b:1::8.8.8.8", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff"], ["64:ff9b:2::", "64:ff9b:0:ffff::"]),
        ("100::/64", ["100::", "100::ffff:ffff:ffff:ffff"], ["ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "100:0:0:2::"]),
        ("100:0:0:1::/64", ["100:0:0:1::1", "100:0:0:1:ffff:ffff:ffff:ffff"], ["100:0:0:2::"]),
        ("2001::/23", ["2001::1", "2001:0:4136:e378::1", "2001:1::1", "2001:2::1", "2001:3::1", "2001:20::1", "2001:1ff:ffff::"],
         ["2001:200::", "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]),
        ("2001:db8::/32", ["2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"], ["2001:db7:ffff::", "2001:db9::"]),
        ("2002::/16 (private IPv4)", ["2002:c0a8:101::1", "2002:7f00:1::", "2002:a9fe:a9fe::", "2002:c612:1::"],
         ["2002:808:808::1", "2001:ffff::", "2003::"]),
        ("3fff::/20", ["3fff::1", "3fff:fff:ffff::"], ["3ffe:ffff::", "3fff:1000::"]),
        ("5f00::/16", ["5f00::1", "5f00:ffff::"], ["5eff:ffff::", "5f01::"]),
        ("fc00::/7", ["fc00::1", "fd12:3456::1", "fdff:ffff::"], ["fbff:ffff::", "fe00::"]),
        ("fe80::/10", ["fe80::1", "febf:ffff::"], ["fe7f:ffff::"]),
        ("fec0::/10", ["fec0::1", "feff:ffff::"], []),
        ("ff00::/8", ["ff02::1", "ffff:ffff::"], []),
    ]

    @Test(arguments: blocks)
    func insideIsRefusedAndJustOutsideIsAllowed(_ block: String, _ inside: [String], _ outside: [String]) {
        for address in inside { #expect(!Self.isPublic(address), "\(address) in \(block) was allowed") }
        for address in outside { #expect(Self.isPublic(address), "\(address) next to \(block) was refused") }
    }

    /// Globally reachable blocks of the registries, and ordinary public addresses.
    @Test(arguments: ["1.1.1.1", "8.8.8.8", "192.31.196.1", "192.52.193.1", "192.175.48.1", "223.255.255.255",
                      "2606:4700:4700::1111", "2001:4860:4860::8888", "2620:4f:8000::1", "2a00:1450:4001::200e"])
    func globallyReachableIsAllowed(_ address: String) {
        #expect(Self.isPublic(address))
    }

    /// Every block's boundaries, computed from the table itself: its first and last addresses are
    /// inside, the addresses before the first and after the last are not.
    @Test func everyPrefixHasExactBoundaries() {
        for block in SpecialPurposeAddresses.ipv4 + SpecialPurposeAddresses.ipv6 {
            let prefix = block.prefix
            let bits = prefix.network.count * 8
            var last = prefix.network
            for bit in prefix.length..<bits { last[bit / 8] |= 0x80 >> UInt8(bit % 8) }
            #expect(prefix.contains(prefix.network) && prefix.contains(last), "\(prefix)")
            if let before = Self.step(prefix.network, by: -1) { #expect(!prefix.contains(before), "\(prefix) holds the one before it") }
            if let after = Self.step(last, by: 1) { #expect(!prefix.contains(after), "\(prefix) holds the one after it") }
            #expect(!prefix.contains([0, 0]), "a wrong-length address matched \(prefix)")
        }
    }

    @Test func refusalNamesTheBlock() {
        #expect(AddressPolicy.refusingBlock(ipv4: Self.bytes("198.18.0.1")) == "Benchmarking (RFC 2544)")
        #expect(AddressPolicy.refusingBlock(ipv6: Self.bytes("2002:7f00:1::")) == "6to4 (RFC 3056) of Loopback (RFC 1122)")
        #expect(AddressPolicy.refusingBlock(ipv4: Self.bytes("8.8.8.8")) == nil)
    }

    @Test func prefixesPrintInCIDRNotation() {
        #expect(AddressPrefix(ipv4: [198, 18, 0, 0], length: 15).description == "198.18.0.0/15")
        #expect(AddressPrefix(ipv6: [0x2001, 0xDB8], length: 32).description == "2001:db8:0:0:0:0:0:0/32")
    }

    /// The address plus or minus one, or nil on wrapping past either end.
    private static func step(_ address: [UInt8], by delta: Int) -> [UInt8]? {
        var result = address
        for index in result.indices.reversed() {
            let value = Int(result[index]) + delta
            if (0...255).contains(value) { result[index] = UInt8(value); return result }
            result[index] = delta > 0 ? 0 : 255
        }
        return nil
    }
}
