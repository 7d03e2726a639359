/// Percent-encodes one path segment (RFC 3986 §3.3), so an item id can never add a segment,
/// a query or a fragment. Only ALPHA, DIGIT, "-", "_" and "~" stay as they are: even "." is
/// encoded, because curl and many servers collapse "." and ".." segments (RFC 3986 §5.2.4).
enum PathSegment {
    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += "%" + hex(byte >> 4) + hex(byte & 0x0F)
            }
        }
        return output
    }

    private static func hex(_ nibble: UInt8) -> String {
        String(UnicodeScalar(nibble < 10 ? nibble + 48 : nibble + 55))
    }
}
