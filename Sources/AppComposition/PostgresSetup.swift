import Configuration
import Crypto
import ServerLog
import Storage
import StoragePostgres

/// Opens the PostgreSQL store: brings the schema up to date (under an advisory lock, so several
/// processes starting together apply each migration once), then starts the janitor that deletes
/// expired rows off the request path.
public enum PostgresSetup {
    public static func store(_ configuration: Configuration) throws(ConfigurationError) -> (PostgresStore, PostgresJanitor) {
        let url = try databaseURL(configuration)
        try migrate(url)
        let key = configuration.tokenEncryptionKey ?? developmentKey()
        let store: PostgresStore
        do {
            store = try PostgresStore(connectionString: url, tokenEncryptionKey: key)
        } catch {
            throw ConfigurationError("DATABASE_URL", "\(error)")
        }
        let janitor = PostgresJanitor(store: store, clientRetention: ClientRetention(configuration))
        janitor.start()
        return (store, janitor)
    }

    /// `FCGIApp cleanup`: one janitor pass now (for a cron job, or after changing
    /// CLIENT_IDLE_DAYS); returns how many rows went.
    public static func cleanUpOnce(_ configuration: Configuration) throws(ConfigurationError) -> Int {
        guard configuration.storageDriver == .postgres else {
            throw ConfigurationError("AUTH_STORAGE_DRIVER", "must be postgres: cleanup deletes from the app's PostgreSQL store")
        }
        let url = try databaseURL(configuration)
        try migrate(url)
        let store: PostgresStore
        do {
            // Cleanup reads no Privy token, so any key opens the store.
            store = try PostgresStore(connectionString: url, tokenEncryptionKey: configuration.tokenEncryptionKey ?? SecureRandom.bytes(32),
                                      applicationName: "FCGIApp cleanup")
        } catch {
            throw ConfigurationError("DATABASE_URL", "\(error)")
        }
        return PostgresJanitor(store: store, clientRetention: ClientRetention(configuration)).runOnce()
    }

    /// For a command that writes to the store and exits (`import-original`): migrated, no janitor,
    /// and only with the TOKEN_ENCRYPTION_KEY the served app uses, since what it stores must stay
    /// readable after this process ends.
    public static func storeForCommand(_ configuration: Configuration, purpose: String) throws(ConfigurationError) -> PostgresStore {
        guard configuration.storageDriver == .postgres else {
            throw ConfigurationError("AUTH_STORAGE_DRIVER", "must be postgres: \(purpose) writes to the app's PostgreSQL store")
        }
        guard let key = configuration.tokenEncryptionKey else {
            throw ConfigurationError("TOKEN_ENCRYPTION_KEY", "required: \(purpose) stores Privy tokens encrypted with the key the app serves with")
        }
        let url = try databaseURL(configuration)
        try migrate(url)
        do {
            return try PostgresStore(connectionString: url, tokenEncryptionKey: key, applicationName: "FCGIApp \(purpose)")
        } catch {
            throw ConfigurationError("DATABASE_URL", "\(error)")
        }
    }

    /// `FCGIApp migrate`: apply pending migrations and report them.
    public static func migrateOnly(_ configuration: Configuration) throws(ConfigurationError) -> [Int] {
        try migrate(try databaseURL(configuration))
    }

    @discardableResult
    private static func migrate(_ url: String) throws(ConfigurationError) -> [Int] {
        do {
            let applied = try PostgresMigrator.migrate(connectionString: url)
            if !applied.isEmpty {
                ServerLog.write(.info, "database schema migrated", ["versions": .string(applied.map(String.init).joined(separator: ","))])
            }
            return applied
        } catch {
            throw ConfigurationError("DATABASE_URL", "\(error)")
        }
    }

    private static func databaseURL(_ configuration: Configuration) throws(ConfigurationError) -> String {
        guard let url = configuration.databaseURL else {
            throw ConfigurationError("DATABASE_URL", "required when AUTH_STORAGE_DRIVER=postgres")
        }
        return url
    }

    /// Production refuses to start without TOKEN_ENCRYPTION_KEY (see Configuration); a local run
    /// gets a key for this process only, so Privy tokens stored by an earlier run are unreadable.
    private static func developmentKey() -> [UInt8] {
        ServerLog.write(.warning, "TOKEN_ENCRYPTION_KEY is not set: generated one for this run; stored Privy tokens will not survive a restart")
        return SecureRandom.bytes(32)
    }
}
