import CLibPQ
import ServerLog

/// Routes server notices and warnings into the JSON log. libpq's default prints them raw on
/// stderr, which would break the one-JSON-object-per-line log format.
enum PostgresNotices {
    /// Logs severity and SQLSTATE only: message texts can quote values.
    static let receiver: PQnoticeReceiver = { _, result in
        guard let result else { return }
        func field(_ code: Unicode.Scalar) -> String {
            PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) } ?? "none"
        }
        // 'V' is the non-localized severity, 'C' the SQLSTATE (libpq's PG_DIAG_* characters).
        ServerLog.write(.warning, "database notice", ["severity": .string(field("V")), "sqlstate": .string(field("C"))])
    }
}
