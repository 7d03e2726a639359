import ServerLog
import Storage

/// Brings the schema up to `PostgresMigrations.latestVersion` at start.
///
/// Everything happens in one transaction holding a transaction-scoped advisory lock, so when
/// several FCGIApp processes start at once, one migrates and the others wait, then find
/// nothing left to do. A failed migration rolls back completely.
public enum PostgresMigrator {
    /// Arbitrary, but fixed forever: every build must contend for the same lock.
    static let advisoryLockKey = "7400531250618351617"

    /// Returns the versions applied now (empty when the schema was already current).
    public static func migrate(connectionString: String, applicationName: String = "FCGIApp migrator")
        throws(PostgresSetupError) -> [Int] {
        let connection = try PostgresConnection(connectionString: connectionString, applicationName: applicationName)
        defer { connection.close() }
        return try migrate(connection: connection)
    }

    /// - Parameter target: stop after this version (tests use it to build an older schema).
    public static func migrate(connection: PostgresConnection, upTo target: Int = PostgresMigrations.latestVersion)
        throws(PostgresSetupError) -> [Int] {
        do {
            try connection.execute("BEGIN")
            do {
                let applied = try migrateInTransaction(connection, upTo: target)
                try connection.execute("COMMIT")
                return applied
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        } catch let error as PostgresSetupError {
            throw error
        } catch let error as StoreError {
            throw .storage(error)
        } catch {
            throw .storage(.unavailable("migration failed"))
        }
    }

    private static func migrateInTransaction(_ connection: PostgresConnection, upTo target: Int) throws -> [Int] {
        // Waiting for another process's migration can take longer than a request may.
        try connection.execute("SET LOCAL statement_timeout = '120s'")
        try connection.execute("SELECT pg_advisory_xact_lock($1::bigint)", params: [advisoryLockKey])
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version INTEGER PRIMARY KEY,
              name TEXT NOT NULL,
              applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
            )
            """)
        let rows = try connection.execute("SELECT version FROM schema_migrations").rows
        var done = Set<Int>()
        for row in rows { done.insert(try row.int(0)) }

        let supported = PostgresMigrations.latestVersion
        if let newest = done.max(), newest > supported {
            throw PostgresSetupError.schemaTooNew(found: newest, supported: supported)
        }

        var applied: [Int] = []
        for migration in PostgresMigrations.all where migration.version <= target && !done.contains(migration.version) {
            try connection.executeScript(migration.sql)
            try connection.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                   params: [String(migration.version), migration.name])
            ServerLog.write(.info, "applied database migration", [
                "version": .int(migration.version), "name": .string(migration.name),
            ])
            applied.append(migration.version)
        }
        return applied
    }
}
