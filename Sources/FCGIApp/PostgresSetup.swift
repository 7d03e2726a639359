import Configuration
import Storage

/// Opens the PostgreSQL store and brings its schema up to date.
enum PostgresSetup {
    static func store(_ configuration: Configuration) throws(ConfigurationError) -> any AppStore {
        throw ConfigurationError("AUTH_STORAGE_DRIVER", "postgres is not available in this build yet; use memory")
    }
}
