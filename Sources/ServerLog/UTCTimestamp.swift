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
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let fraction = milliseconds ? "." + padded(thousandths, 3) : ""
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2)
            + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
            + fraction + "Z"
    }
}
