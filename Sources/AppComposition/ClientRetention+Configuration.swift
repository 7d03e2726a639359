import Configuration
import Storage

extension ClientRetention {
    /// `CLIENT_IDLE_DAYS` for clients that were used; a day for those never used.
    public init(_ configuration: Configuration) {
        self.init(idle: Double(configuration.clientIdleDays) * 86_400)
    }
}
