@testable import HTTPClient
import Testing

@Suite struct AddressPolicyTests {
    private static func v4(_ text: String) -> [UInt8] {
        text.split(separator: ".").map { UInt8($0)! }
    }

    @Test(arguments: [
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
        "127.0.0.1", "127.8.9.10", "169.254.169.254", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    ])
    func nonPublicIPv4IsRefused(address: String) {
        #expect(!AddressPolicy.isPublicIPv4(Self.v4(address)))
    }

    @Test(arguments: ["1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1", "192.167.1.1", "169.253.1.1", "223.255.255.255"])
    func publicIPv4IsAllowed(address: String) {
        #expect(AddressPolicy.isPublicIPv4(Self.v4(address)))
    }

    private static func v6(_ groups: [UInt16]) -> [UInt8] {
        groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    @Test func ipv6Ranges() {
        let refused: [[UInt16]] = [
            [0, 0, 0, 0, 0, 0, 0, 0],                 // ::
            [0, 0, 0, 0, 0, 0, 0, 1],                 // ::1
            [0, 0, 0, 0, 0, 0xFFFF, 0x7F00, 0x0001],  // ::ffff:127.0.0.1
            [0, 0, 0, 0, 0, 0xFFFF, 0x0A00, 0x0001],  // ::ffff:10.0.0.1
            [0, 0, 0, 0, 0, 0xFFFF, 0xA9FE, 0xA9FE],  // ::ffff:169.254.169.254
            [0x64, 0xFF9B, 0, 0, 0, 0, 0xC0A8, 0x0101], // 64:ff9b::192.168.1.1
            [0xFC00, 0, 0, 0, 0, 0, 0, 1],            // fc00::1
            [0xFD12, 0x3456, 0, 0, 0, 0, 0, 1],       // fd12:3456::1
            [0xFE80, 0, 0, 0, 0, 0, 0, 1],            // fe80::1
            [0xFEBF, 0, 0, 0, 0, 0, 0, 1],            // fe80::/10 upper end
            [0xFF02, 0, 0, 0, 0, 0, 0, 1],            // ff02::1
        ]
        for address in refused {
            #expect(!AddressPolicy.isPublicIPv6(Self.v6(address)), "\(address)")
        }
        let allowed: [[UInt16]] = [
            [0x2606, 0x4700, 0x4700, 0, 0, 0, 0, 0x1111], // 2606:4700:4700::1111
            [0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888], // 2001:4860:4860::8888
            [0, 0, 0, 0, 0, 0xFFFF, 0x0808, 0x0808],      // ::ffff:8.8.8.8
        ]
        for address in allowed {
            #expect(AddressPolicy.isPublicIPv6(Self.v6(address)), "\(address)")
        }
    }
}
