import Foundation

/// When a dynamically registered client (RFC 7591) is deleted for disuse. Registration is open to
/// anyone, so clients that never come back would otherwise pile up forever.
///
/// Only clients no grant refers to are deleted: a client whose users still hold codes or tokens
/// is never removed from under them, whatever these times say (grants go once all their tokens
/// expired, see the janitor). Built-in clients are never deleted; metadata-document clients are
/// not stored as registrations, they are fetched again from their URL.
public struct ClientRetention: Sendable, Equatable {
    /// A client that never obtained a token goes this long after registering (a day: an
    /// authorization that is still running takes minutes).
    public var neverUsed: TimeInterval
    /// A client that did goes this long after its last token (`CLIENT_IDLE_DAYS`, 90 days).
    public var idle: TimeInterval

    /// How stale `lastUsedAt` may be: a day, so it is written at most once a day per client.
    public static let useResolution: TimeInterval = 86_400

    public init(neverUsed: TimeInterval = 86_400, idle: TimeInterval = 90 * 86_400) {
        self.neverUsed = neverUsed
        self.idle = idle
    }

    /// True when a registered client is due for deletion at `now` (grants aside).
    public func isUnused(_ client: OAuthClient, now: Date) -> Bool {
        guard client.origin == .registered else { return false }
        if let lastUsedAt = client.lastUsedAt { return lastUsedAt < now.addingTimeInterval(-idle) }
        return client.createdAt < now.addingTimeInterval(-neverUsed)
    }
}
