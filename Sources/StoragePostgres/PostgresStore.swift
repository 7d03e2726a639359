import Foundation
import ServerLog
import Storage

/// The production store: PostgreSQL shared by every FCGIApp process and host.
///
/// Each worker thread gets its own connection, opened on its first call. Single-use codes and
/// refresh-token rotation are single conditional statements, so the database decides the one
/// winner of any race between processes. Create one store per process (it takes a pthread key)
/// and run `PostgresMigrator` before serving.
public final class PostgresStore: AppStore, @unchecked Sendable {
    let connections: ThreadConnections
    let cipher: TokenCipher

    /// Connects nothing yet: connections open lazily on each thread's first call.
    /// - Parameters:
    ///   - connectionString: DATABASE_URL (`postgresql://...` or `key=value`); `connect_timeout`
    ///     defaults to 2 seconds so calls fail fast while the database is down.
    ///   - tokenEncryptionKey: TOKEN_ENCRYPTION_KEY, 32 bytes, for stored Privy tokens.
    public init(connectionString: String, tokenEncryptionKey: [UInt8], applicationName: String = "FCGIApp",
                statementTimeout: TimeInterval = 5) throws(PostgresSetupError) {
        cipher = try TokenCipher(key: tokenEncryptionKey)
        connections = ThreadConnections(settings: try PostgresConnectionSettings(
            connectionString: connectionString, applicationName: applicationName, statementTimeout: statementTimeout))
    }

    /// Whether an operation may run a second time after its connection was lost mid-call.
    enum Retry {
        /// Repeating it cannot change the outcome: reads, upserts, conditional updates, and the
        /// single-use operations that check on retry whether their first attempt committed.
        case safe
        /// A repeat could report a different result than the first attempt produced.
        case never
    }

    /// Runs `body` on this thread's connection. If the connection was lost during the call
    /// (and replaced), a `.safe` operation runs once more; `isRetry` tells it so.
    @discardableResult
    func perform<T>(_ operation: String, _ retry: Retry,
                    _ body: (PostgresConnection, _ isRetry: Bool) throws(StoreError) -> T) throws(StoreError) -> T {
        let connection = connections.current
        let generation = connection.generation
        do {
            return try body(connection, false)
        } catch {
            guard retry == .safe, connection.generation != generation else { throw error }
            ServerLog.write(.warning, "retrying after the database connection was lost", ["operation": .string(operation)])
            return try body(connection, true)
        }
    }

    /// This thread's server process id (tests terminate it to simulate a dropped connection).
    func backendPID() throws(StoreError) -> Int32? {
        let connection = connections.current
        try connection.connect()
        return connection.backendPID
    }
}
