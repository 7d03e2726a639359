import CLibPQ
import Storage

/// What a failed statement means for the caller, derived from its SQLSTATE.
///
/// Messages carry the SQLSTATE and constraint name only: PostgreSQL's message texts can quote
/// parameter values (e.g. "invalid input syntax for type integer: ..."), and those may be secrets.
struct PostgresFailure {
    let sqlState: String?
    let constraint: String?
    /// The server is gone or is going away: the connection has to be replaced.
    let lostConnection: Bool

    init(result: OpaquePointer?, connectionOK: Bool) {
        sqlState = result.flatMap { Self.field($0, "C") }
        constraint = result.flatMap { Self.field($0, "n") }
        lostConnection = !connectionOK || sqlState.map(Self.meansLostConnection) == true
    }

    /// Class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown,
    /// cannot connect now: a terminated backend or a restarting server).
    static func meansLostConnection(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    var storeError: StoreError {
        if lostConnection { return .unavailable("connection to the database was lost") }
        guard let sqlState else { return .unavailable("database request failed") }
        switch sqlState {
        case "23505":
            return .conflict("unique constraint \(constraint ?? "violated")")
        case _ where sqlState.hasPrefix("23"):
            return .conflict("integrity constraint \(constraint ?? "violated") (SQLSTATE \(sqlState))")
        case "57014":
            return .unavailable("statement timeout")
        case "40001", "40P01":
            return .unavailable("transaction aborted by a concurrent one (SQLSTATE \(sqlState))")
        default:
            return .unavailable("database error (SQLSTATE \(sqlState))")
        }
    }

    /// Errors that point at a bug or a broken schema rather than load or outages.
    var isUnexpected: Bool {
        guard let sqlState, !lostConnection else { return false }
        return !(sqlState.hasPrefix("23") || sqlState.hasPrefix("53") || sqlState.hasPrefix("40")
            || sqlState == "57014")
    }

    /// `code` is one of libpq's PG_DIAG_* characters ('C' SQLSTATE, 'n' constraint name);
    /// Swift cannot import those character-literal macros.
    private static func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
    }
}
