import Foundation

/// Access tokens whose signature and claims already passed `AccessTokens.verify`, so the RSA
/// verification (about a tenth of an MCP request's cost) runs once per token rather than on
/// every call ChatGPT makes with it.
///
/// Keyed by the whole token string: a hit means byte-for-byte the token that was verified, so a
/// forged or altered token can never match an entry. An entry lives until the token's `exp`;
/// revocation is unaffected because the session lookup after it runs on every request. Bounded:
/// when full, expired entries go first and, if none have, the whole cache is dropped (a burst of
/// distinct tokens costs only re-verification, never memory).
final class VerifiedTokenCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: AccessTokenClaims] = [:]
    let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached claims while the token has not expired at `now`.
    func claims(for token: String, now: Int) -> AccessTokenClaims? {
        lock.lock()
        defer { lock.unlock() }
        guard let claims = entries[token] else { return nil }
        guard claims.expiresAt > now else {
            entries[token] = nil
            return nil
        }
        return claims
    }

    func insert(_ claims: AccessTokenClaims, for token: String, now: Int) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity {
            entries = entries.filter { $0.value.expiresAt > now }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        }
        entries[token] = claims
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
