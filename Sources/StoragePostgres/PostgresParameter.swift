import Foundation

/// Text-format encodings of parameter values. Values only ever travel as parameters
/// (`$1`, `$2`, ...), never inside the SQL text.
public enum PostgresParameter {
    /// Seconds since 1970 with microseconds (PostgreSQL's precision); the SQL side wraps the
    /// parameter in `to_timestamp($n)`, which needs no time zone or date style.
    public static func timestamp(_ date: Date) -> String {
        String(format: "%.6f", date.timeIntervalSince1970)
    }

    public static func nullableTimestamp(_ date: Date?) -> String? {
        date.map { timestamp($0) }
    }

    /// A `text[]` literal: every element double-quoted with `\` and `"` escaped, so commas,
    /// braces, spaces and the word NULL all stay plain text.
    public static func textArray(_ values: [String]) -> String {
        let elements = values.map { value in
            var escaped = "\""
            for character in value {
                if character == "\\" || character == "\"" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }

    /// A `float8[]` literal of epoch seconds, for inserting several timestamps at once.
    public static func timestampArray(_ dates: [Date]) -> String {
        "{" + dates.map { timestamp($0) }.joined(separator: ",") + "}"
    }
}
