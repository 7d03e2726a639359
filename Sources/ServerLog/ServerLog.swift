import Foundation

/// Structured JSON lines on stderr, where nginx, systemd and mod_fcgid all collect them.
///
/// Callers pass only fields that are safe to print: never a token, code, secret or query string.
public enum ServerLog {
    public enum Level: String, Sendable { case info, warning, error }

    private static let lock = NSLock()

    public static func write(_ level: Level, _ message: String, _ fields: [String: LogValue] = [:]) {
        var record = fields
        record["time"] = .string(timestamp())
        record["level"] = .string(level.rawValue)
        record["msg"] = .string(message)
        emit(record)
    }

    /// Writes one record as a single line; the lock keeps lines from interleaving across threads.
    public static func emit(_ record: [String: LogValue]) {
        let line = serialize(record) + "\n"
        lock.lock()
        defer { lock.unlock() }
        line.utf8CString.withUnsafeBufferPointer { buffer in
            var offset = 0
            let total = buffer.count - 1
            while offset < total {
                let written = Foundation.write(2, buffer.baseAddress! + offset, total - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }

    static func serialize(_ record: [String: LogValue]) -> String {
        let body = record.keys.sorted().map { key in "\(quote(key)):\(record[key]!.json)" }
        return "{" + body.joined(separator: ",") + "}"
    }

    /// ISO 8601 in UTC with milliseconds (2026-11-27T09:55:26.955Z).
    public static func timestamp(_ date: Date = Date()) -> String {
        UTCTimestamp.iso8601(date, milliseconds: true)
    }

    /// `%.3f` without Foundation's formatter (it runs for every request's duration).
    static func fixedThree(_ number: Double) -> String {
        guard number.isFinite, abs(number) < 1e15 else { return "null" }  // JSON has no NaN or infinity
        let thousandths = Int64((abs(number) * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return (number < 0 && thousandths != 0 ? "-" : "") + String(thousandths / 1000) + "."
            + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    static func quote(_ text: String) -> String {
        // Most values (paths, ids, methods) need no escaping: skip the per-scalar copy.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}

/// A value in a log record.
public enum LogValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }

    var json: String {
        switch self {
        case .string(let text): ServerLog.quote(text)
        case .int(let number): String(number)
        case .double(let number): ServerLog.fixedThree(number)
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}
