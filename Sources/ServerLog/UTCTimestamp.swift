import Foundation

/// ISO 8601 timestamps in UTC (`2026-11-27T09:55:26Z`, or with `.955` milliseconds), formatted
/// by hand: they are written on every request (log lines, tool results), and Foundation's
/// ISO 8601 formatting builds an ICU formatter on every call.
public enum UTCTimestamp {
    public static func iso8601(_ date: Date = Date(), milliseconds: Bool = false) -> String {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (quotient, remainder) = total.quotientAndRemainder(dividingBy: 1000)
        var seconds = time_t(remainder < 0 ? quotient - 1 : quotient)
        let thousandths = Int(remainder < 0 ? remainder + 1000 : remainder)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int, then separator: Character?) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
            if let separator { text.append(separator.asciiValue!) }
        }
        digits(Int(parts.tm_year) + 1900, 4, then: "-")
        digits(Int(parts.tm_mon) + 1, 2, then: "-")
        digits(Int(parts.tm_mday), 2, then: "T")
        digits(Int(parts.tm_hour), 2, then: ":")
        digits(Int(parts.tm_min), 2, then: ":")
        digits(Int(parts.tm_sec), 2, then: milliseconds ? "." : "Z")
        if milliseconds { digits(thousandths, 3, then: "Z") }
        return String(decoding: text, as: UTF8.self)
    }
}
