/// Request identifiers: taken from a trusted front end's `X-Request-Id` when it is short and plain,
/// otherwise generated, so a log line can be matched to what a client saw.
public enum RequestID {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Accepts 1–64 characters of `[A-Za-z0-9._-]`; anything else could forge log content.
    public static func accept(_ candidate: String?) -> String {
        guard let candidate, (1...64).contains(candidate.utf8.count),
              candidate.utf8.allSatisfy({ isPlain($0) })
        else { return make() }
        return candidate
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }
}
