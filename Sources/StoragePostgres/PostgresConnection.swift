import CLibPQ
import Foundation
import ServerLog
import Storage

/// A thin synchronous wrapper around one libpq connection, for one thread at a time.
///
/// It connects lazily and reconnects itself: when a statement fails because the server went
/// away, it reconnects before throwing `.unavailable`, and bumps `generation` so the caller can
/// tell "the connection was replaced under me" (worth one retry) from other failures.
public final class PostgresConnection {
    private let settings: PostgresConnectionSettings
    private var connection: OpaquePointer?
    /// Names prepared on the current server session; a new session starts empty.
    private var prepared: Set<String> = []
    private var lastConnectFailure: ContinuousClock.Instant?
    /// While the database is down, calls within this window fail at once instead of each
    /// waiting for connect_timeout again.
    private let reconnectHoldoff: Duration = .seconds(1)

    /// Increases every time a lost connection is detected.
    public private(set) var generation = 0

    public init(settings: PostgresConnectionSettings) {
        self.settings = settings
    }

    public convenience init(connectionString: String, applicationName: String = "FCGIApp",
                            statementTimeout: TimeInterval = 5) throws(PostgresSetupError) {
        self.init(settings: try PostgresConnectionSettings(
            connectionString: connectionString, applicationName: applicationName, statementTimeout: statementTimeout))
    }

    deinit { close() }

    public func close() {
        if let connection { PQfinish(connection) }
        connection = nil
        prepared.removeAll()
    }

    /// The server process of the current session (for `pg_terminate_backend` in tests and for
    /// matching log lines), or nil when not connected.
    public var backendPID: Int32? {
        guard let connection, PQstatus(connection) == CONNECTION_OK else { return nil }
        return PQbackendPID(connection)
    }

    /// Opens the connection unless it is open and healthy.
    public func connect() throws(StoreError) {
        _ = try open()
    }

    private func open() throws(StoreError) -> OpaquePointer {
        if let connection, PQstatus(connection) == CONNECTION_OK { return connection }
        close()
        let clock = ContinuousClock()
        if let lastConnectFailure, clock.now < lastConnectFailure + reconnectHoldoff {
            throw .unavailable("cannot connect to the database (retrying shortly)")
        }
        let fresh = settings.withCArrays { keywords, values in PQconnectdbParams(keywords, values, 0) }
        guard let fresh, PQstatus(fresh) == CONNECTION_OK else {
            let reason = fresh.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            if let fresh { PQfinish(fresh) }
            lastConnectFailure = clock.now
            // libpq's connect errors name host and port, never the password.
            ServerLog.write(.warning, "cannot connect to the database", ["reason": .string(reason)])
            throw .unavailable("cannot connect to the database")
        }
        lastConnectFailure = nil
        PQsetNoticeReceiver(fresh, PostgresNotices.receiver, nil)
        connection = fresh
        return fresh
    }

    // MARK: Statements

    /// Runs one statement with text-format parameters via PQexecParams.
    @discardableResult
    public func execute(_ sql: String, params: [String?] = []) throws(StoreError) -> PostgresResult {
        let connection = try open()
        let result = Self.withCStrings(params) { values in
            PQexecParams(connection, sql, Int32(params.count), nil, values, nil, nil, 0)
        }
        return try check(result, statement: "ad hoc")
    }

    /// Runs a named statement, preparing it on first use in this session.
    @discardableResult
    public func execute(_ statement: PostgresStatement, params: [String?] = []) throws(StoreError) -> PostgresResult {
        let connection = try open()
        if !prepared.contains(statement.name) {
            // nParams 0 and no types: the server infers each parameter's type from the SQL.
            _ = try check(PQprepare(connection, statement.name, statement.sql, 0, nil), statement: statement.name)
            prepared.insert(statement.name)
        }
        let result = Self.withCStrings(params) { values in
            PQexecPrepared(connection, statement.name, Int32(params.count), values, nil, nil, 0)
        }
        return try check(result, statement: statement.name)
    }

    /// Runs several `;`-separated statements without parameters (migrations). PQexec runs them
    /// as one implicit transaction unless they contain their own BEGIN/COMMIT.
    public func executeScript(_ sql: String) throws(StoreError) {
        let connection = try open()
        _ = try check(PQexec(connection, sql), statement: "script")
    }

    private func check(_ result: OpaquePointer?, statement: String) throws(StoreError) -> PostgresResult {
        if let result {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return PostgresResult(result) }
        }
        let connectionOK = connection.map { PQstatus($0) == CONNECTION_OK } ?? false
        let failure = PostgresFailure(result: result, connectionOK: connectionOK)
        if let result { PQclear(result) }
        if failure.lostConnection {
            ServerLog.write(.warning, "database connection lost; reconnecting", [
                "statement": .string(statement), "sqlstate": .string(failure.sqlState ?? "none"),
            ])
            replaceLostConnection()
        } else if failure.isUnexpected {
            ServerLog.write(.error, "database statement failed", [
                "statement": .string(statement), "sqlstate": .string(failure.sqlState ?? "none"),
            ])
        }
        throw failure.storeError
    }

    /// Drops the dead session and tries one new one right away, so an idempotent caller can
    /// retry at once. If the database is really down, the next call fails fast (holdoff).
    private func replaceLostConnection() {
        generation += 1
        close()
        _ = try? open()
    }

    // MARK: C strings

    private static func withCStrings<T>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
        let copies = strings.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\n", with: " ")
    }
}
