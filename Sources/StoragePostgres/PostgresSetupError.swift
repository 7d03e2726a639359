import Storage

/// Why the PostgreSQL store cannot start. Unlike `StoreError`, these are configuration or
/// deployment mistakes: the app should refuse to start and print the description.
public enum PostgresSetupError: Error, Equatable, CustomStringConvertible {
    /// libpq rejected DATABASE_URL. libpq's own message is not kept: it may quote the URL,
    /// password included.
    case invalidConnectionString
    case invalidEncryptionKey
    /// Another build already migrated the database further than this one knows.
    case schemaTooNew(found: Int, supported: Int)
    case storage(StoreError)

    public var description: String {
        switch self {
        case .invalidConnectionString:
            "DATABASE_URL is not a valid PostgreSQL connection string"
        case .invalidEncryptionKey:
            "TOKEN_ENCRYPTION_KEY must be 32 bytes"
        case .schemaTooNew(let found, let supported):
            "database schema version \(found) is newer than this build supports (\(supported)); upgrade FCGIApp"
        case .storage(let error):
            error.description
        }
    }
}
