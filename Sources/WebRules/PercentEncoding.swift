/// Percent-encoding (RFC 3986 §2.1), the one encoder for every URL we build.
public enum PercentEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// A query or form component: only unreserved characters (RFC 3986 §2.3) stay as they are.
    public static func component(_ text: String) -> String {
        encode(text) { isUnreserved($0) }
    }

    /// One path segment (RFC 3986 §3.3), so an id can never add a segment, a query or a fragment.
    /// Even "." is encoded: curl and many servers collapse "." and ".." segments (RFC 3986 §5.2.4).
    public static func pathSegment(_ text: String) -> String {
        encode(text) { isUnreserved($0) && $0 != UInt8(ascii: ".") }
    }

    private static func encode(_ text: String, keeping keep: (UInt8) -> Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if keep(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~" (also PKCE's verifier alphabet).
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
