/// An address block in CIDR notation (RFC 4632 §3.1): the addresses whose first `length` bits
/// equal those of `network`. Written from byte literals, never parsed from text, so a table of
/// them cannot fail to load.
struct AddressPrefix: Sendable, Equatable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    let network: [UInt8]
    let length: Int

    /// `AddressPrefix(ipv4: [198, 18, 0, 0], length: 15)` is 198.18.0.0/15.
    init(ipv4 octets: [UInt8], length: Int) {
        precondition(octets.count == 4 && (0...32).contains(length), "not an IPv4 prefix")
        self.network = octets
        self.length = length
    }

    /// `AddressPrefix(ipv6: [0x2001, 0xdb8], length: 32)` is 2001:db8::/32: the leading 16-bit
    /// groups, the rest zero (as "::" writes them).
    init(ipv6 groups: [UInt16], length: Int) {
        precondition(groups.count <= 8 && (0...128).contains(length), "not an IPv6 prefix")
        let padded = groups + Array(repeating: 0, count: 8 - groups.count)
        self.network = padded.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        self.length = length
    }

    /// Whether `address` (of the same family) lies in this block.
    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        let wholeBytes = length / 8
        for index in 0..<wholeBytes where address[index] != network[index] { return false }
        let remainingBits = length % 8
        guard remainingBits > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - remainingBits)
        return address[wholeBytes] & mask == network[wholeBytes] & mask
    }

    var description: String {
        if network.count == 4 { return network.map(String.init).joined(separator: ".") + "/\(length)" }
        let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "/\(length)"
    }
}
