import Foundation

/// Why a store could not answer. Routes turn `.unavailable` into 503 (the database is down or
/// timed out); nothing here ever means "the token is valid".
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case unavailable(String)
    case conflict(String)
    /// The store holds as many records of a kind as it may (the memory store's client bound).
    case capacity(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "storage unavailable: \(reason)"
        case .conflict(let reason): "storage conflict: \(reason)"
        case .capacity(let reason): "storage full: \(reason)"
        }
    }
}

public protocol ClientStore: Sendable {
    func client(id: String) throws(StoreError) -> OAuthClient?
    /// Inserts, or replaces the client with the same id (the built-in client is re-registered at start).
    /// A store that bounds its clients (the memory store) answers `.capacity` for one too many.
    func saveClient(_ client: OAuthClient) throws(StoreError)
    /// Records that a token was issued to the client: sets `lastUsedAt` to `now` unless it is
    /// already within `ClientRetention.useResolution` of it, so a busy client costs at most one
    /// write a day.
    func markClientUsed(id: String, now: Date) throws(StoreError)
    /// Deletes at most `limit` registered clients that `retention` says are unused at `now` and
    /// that no grant refers to; built-in and metadata-document clients are never deleted here.
    func deleteUnusedClients(_ retention: ClientRetention, now: Date, limit: Int) throws(StoreError) -> Int
}

/// The outcome of redeeming a code: exactly one caller ever gets `.redeemed` for a code.
public enum CodeRedemption: Sendable, Equatable {
    case redeemed(AuthorizationCode, Grant)
    /// The code was redeemed before: RFC 6749 §4.1.2 says to revoke what it produced.
    case replayed(grantID: String)
    /// Unknown or expired.
    case invalid
}

public protocol GrantStore: Sendable {
    /// Stores a new grant with its first authorization code.
    func createGrant(_ grant: Grant, code: AuthorizationCode) throws(StoreError)
    /// Atomically marks the code used and returns it with its grant, unless it was used, expired,
    /// or its grant was revoked. Two concurrent callers never both see `.redeemed`.
    func redeemCode(hash: String, now: Date) throws(StoreError) -> CodeRedemption
    func grant(id: String) throws(StoreError) -> Grant?
    /// Revokes the grant: every refresh token and access token of it stops working.
    func revokeGrant(id: String, now: Date) throws(StoreError)
    /// Revokes every live grant of this user for this client (used when the user's API says the
    /// Privy token is no longer accepted).
    func revokeGrants(userID: String, clientID: String, now: Date) throws(StoreError)

    func saveRefreshToken(_ token: RefreshToken) throws(StoreError)
    func refreshToken(hash: String) throws(StoreError) -> RefreshToken?
    /// Atomically marks `hash` used and stores `replacement` if `hash` is unused (or was used
    /// within `reuseInterval` seconds), unrevoked, unexpired and its grant is live; if `hash` was
    /// used before that, revokes its grant instead (`RefreshRotation`, RFC 9700 §4.14.2). Of
    /// concurrent callers with one live token, all rotate within the interval; with an interval
    /// of 0, one rotates and the others see it reused.
    func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date,
                            reuseInterval: TimeInterval) throws(StoreError) -> RefreshRotation

    func saveAccessSession(_ session: AccessTokenSession) throws(StoreError)
    /// The session and its grant, whatever their state; callers check revocation and expiry.
    func accessSession(jti: String) throws(StoreError) -> (AccessTokenSession, Grant)?
    func revokeAccessSession(jti: String, now: Date) throws(StoreError)

    /// Deletes at most `limit` rows that expired before `cutoff`; returns how many went.
    func deleteExpired(before cutoff: Date, limit: Int) throws(StoreError) -> Int
}

/// Per-user items of the built-in demo API. A user starts with a few sample items.
public protocol DemoItemStore: Sendable {
    func items(userID: String) throws(StoreError) -> [DemoItem]
    /// Sets an item's status (`open`/`done`) or deletes it (`status == nil`); nil when no such item.
    func updateItem(userID: String, itemID: String, status: String?) throws(StoreError) -> DemoItem?
}

/// Everything the application keeps.
public typealias AppStore = ClientStore & GrantStore & DemoItemStore & ImportStore & CallCountStore

/// What `FCGIApp import-original` writes: clients and grants carried over from the original
/// system, so its connected users stay connected. Both calls are idempotent: a second import of
/// the same rows stores nothing and says so.
public protocol ImportStore: Sendable {
    /// Stores the client unless one with its id exists (ours wins); true when stored.
    func importClient(_ client: OAuthClient) throws(StoreError) -> Bool
    /// Stores the grant with its one refresh token, atomically, unless a refresh token with the
    /// same hash exists (imported before, and perhaps used since); true when stored.
    func importGrant(_ grant: Grant, refreshToken: RefreshToken) throws(StoreError) -> Bool
}

extension GrantStore {
    /// The strict rule, without a reuse interval: every second use revokes the grant.
    public func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date) throws(StoreError) -> RefreshRotation {
        try rotateRefreshToken(hash: hash, replacement: replacement, now: now, reuseInterval: 0)
    }
}
