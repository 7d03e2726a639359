/// The blocks a stranger-supplied URL may not reach, after the IANA IPv4 and IPv6
/// Special-Purpose Address Registries (RFC 6890; iana-ipv4-special-registry,
/// iana-ipv6-special-registry): every block whose "Globally Reachable" is not "True", plus
/// multicast and the deprecated IPv6 site-local block. An address outside every block is public.
///
/// Three registry blocks hold globally reachable exceptions that are refused anyway, as part of
/// their parent: 192.0.0.9/32 and 192.0.0.10/32 (PCP and TURN anycast) in 192.0.0.0/24, and
/// 2001:1::1-3/128 (PCP, TURN, DNS-SD SRP anycast), 2001:3::/32 (AMT), 2001:4:112::/48 (AS112),
/// 2001:20::/28 (ORCHIDv2) and 2001:30::/28 (DETs) in 2001::/23. They are anycast relays,
/// identifiers or DNS sinks, never the host of a client metadata document, and one refusal per
/// parent keeps the table to "first match decides" with no carve-outs to get wrong.
/// The globally reachable blocks outside any refused parent (192.31.196.0/24, 192.52.193.0/24,
/// 192.175.48.0/24, 2620:4f:8000::/48, 64:ff9b::/96 by its IPv4 address) are allowed.
enum SpecialPurposeAddresses {
    enum Rule: Sendable, Equatable {
        case refuse
        /// The address carries an IPv4 address starting at this byte, which is what a connection
        /// would reach: judge that instead.
        case judgeEmbeddedIPv4(at: Int)
    }

    struct Block: Sendable {
        let prefix: AddressPrefix
        let name: String
        let rule: Rule
    }

    static let ipv4: [Block] = [
        // Also holds 0.0.0.0/32 "This host on this network".
        Block(prefix: .init(ipv4: [0, 0, 0, 0], length: 8), name: "\"This network\" (RFC 791)", rule: .refuse),
        Block(prefix: .init(ipv4: [10, 0, 0, 0], length: 8), name: "Private-Use (RFC 1918)", rule: .refuse),
        Block(prefix: .init(ipv4: [100, 64, 0, 0], length: 10), name: "Shared Address Space (RFC 6598)", rule: .refuse),
        Block(prefix: .init(ipv4: [127, 0, 0, 0], length: 8), name: "Loopback (RFC 1122)", rule: .refuse),
        // Also the cloud metadata service, 169.254.169.254.
        Block(prefix: .init(ipv4: [169, 254, 0, 0], length: 16), name: "Link Local (RFC 3927)", rule: .refuse),
        Block(prefix: .init(ipv4: [172, 16, 0, 0], length: 12), name: "Private-Use (RFC 1918)", rule: .refuse),
        // Holds 192.0.0.0/29 (Service Continuity), 192.0.0.8/32 (dummy), 192.0.0.170-171/32
        // (NAT64/DNS64 discovery), and the anycast exceptions above.
        Block(prefix: .init(ipv4: [192, 0, 0, 0], length: 24), name: "IETF Protocol Assignments (RFC 6890)", rule: .refuse),
        Block(prefix: .init(ipv4: [192, 0, 2, 0], length: 24), name: "Documentation (TEST-NET-1) (RFC 5737)", rule: .refuse),
        // Deprecated 6to4 relay anycast (RFC 7526), with 192.88.99.2/32 (6a44 relay, RFC 6751).
        Block(prefix: .init(ipv4: [192, 88, 99, 0], length: 24), name: "Deprecated (6to4 Relay Anycast) (RFC 7526)", rule: .refuse),
        Block(prefix: .init(ipv4: [192, 168, 0, 0], length: 16), name: "Private-Use (RFC 1918)", rule: .refuse),
        Block(prefix: .init(ipv4: [198, 18, 0, 0], length: 15), name: "Benchmarking (RFC 2544)", rule: .refuse),
        Block(prefix: .init(ipv4: [198, 51, 100, 0], length: 24), name: "Documentation (TEST-NET-2) (RFC 5737)", rule: .refuse),
        Block(prefix: .init(ipv4: [203, 0, 113, 0], length: 24), name: "Documentation (TEST-NET-3) (RFC 5737)", rule: .refuse),
        // Not unicast: IANA IPv4 Multicast Address Space Registry (RFC 5771).
        Block(prefix: .init(ipv4: [224, 0, 0, 0], length: 4), name: "Multicast (RFC 5771)", rule: .refuse),
        // Holds 255.255.255.255/32 "Limited Broadcast" (RFC 919).
        Block(prefix: .init(ipv4: [240, 0, 0, 0], length: 4), name: "Reserved (RFC 1112)", rule: .refuse),
    ]

    /// Order matters where blocks nest or sit side by side: the first match decides.
    static let ipv6: [Block] = [
        Block(prefix: .init(ipv6: [], length: 128), name: "Unspecified Address (RFC 4291)", rule: .refuse),
        Block(prefix: .init(ipv6: [0, 0, 0, 0, 0, 0, 0, 1], length: 128), name: "Loopback Address (RFC 4291)", rule: .refuse),
        // RFC 4291 §2.5.5.2: ::ffff:a.b.c.d reaches a.b.c.d.
        Block(prefix: .init(ipv6: [0, 0, 0, 0, 0, 0xFFFF], length: 96), name: "IPv4-mapped Address (RFC 4291)",
              rule: .judgeEmbeddedIPv4(at: 12)),
        // RFC 4291 §2.5.5.1: "IPv4-compatible" addresses are deprecated and routed nowhere.
        Block(prefix: .init(ipv6: [], length: 96), name: "IPv4-compatible Address (deprecated, RFC 4291)", rule: .refuse),
        // RFC 6052 §2.1: the well-known NAT64 prefix is globally reachable; a NAT64 gateway
        // would connect to the embedded address.
        Block(prefix: .init(ipv6: [0x64, 0xFF9B], length: 96), name: "IPv4-IPv6 Translat. (RFC 6052)",
              rule: .judgeEmbeddedIPv4(at: 12)),
        Block(prefix: .init(ipv6: [0x64, 0xFF9B, 1], length: 48), name: "IPv4-IPv6 Translat. (local-use) (RFC 8215)", rule: .refuse),
        Block(prefix: .init(ipv6: [0x100], length: 64), name: "Discard-Only Address Block (RFC 6666)", rule: .refuse),
        Block(prefix: .init(ipv6: [0x100, 0, 0, 1], length: 64), name: "Dummy IPv6 Prefix (RFC 9780)", rule: .refuse),
        // Holds TEREDO 2001::/32, Benchmarking 2001:2::/48, ORCHID 2001:10::/28 and the
        // globally reachable exceptions named above.
        Block(prefix: .init(ipv6: [0x2001], length: 23), name: "IETF Protocol Assignments (RFC 2928)", rule: .refuse),
        Block(prefix: .init(ipv6: [0x2001, 0xDB8], length: 32), name: "Documentation (RFC 3849)", rule: .refuse),
        // RFC 3056 §2: 2002:WWXX:YYZZ::/48 is reached through the 6to4 relay of WW.XX.YY.ZZ.
        Block(prefix: .init(ipv6: [0x2002], length: 16), name: "6to4 (RFC 3056)", rule: .judgeEmbeddedIPv4(at: 2)),
        Block(prefix: .init(ipv6: [0x3FFF], length: 20), name: "Documentation (RFC 9637)", rule: .refuse),
        Block(prefix: .init(ipv6: [0x5F00], length: 16), name: "Segment Routing (SRv6) SIDs (RFC 9602)", rule: .refuse),
        Block(prefix: .init(ipv6: [0xFC00], length: 7), name: "Unique-Local (RFC 4193)", rule: .refuse),
        Block(prefix: .init(ipv6: [0xFE80], length: 10), name: "Link-Local Unicast (RFC 4291)", rule: .refuse),
        // Not in the registry: deprecated site-local (RFC 3879) and multicast (RFC 4291 §2.7).
        Block(prefix: .init(ipv6: [0xFEC0], length: 10), name: "Site-Local (deprecated, RFC 3879)", rule: .refuse),
        Block(prefix: .init(ipv6: [0xFF00], length: 8), name: "Multicast (RFC 4291)", rule: .refuse),
    ]
}
