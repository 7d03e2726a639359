import Foundation

/// The reference store: everything in one process's memory behind one lock. Same contract as
/// the PostgreSQL store, so the contract suite runs against both; state is lost on restart.
public final class MemoryStore: AppStore, @unchecked Sendable {
    private let lock = NSLock()
    /// Keyed by the id's bytes, as PostgreSQL compares text: a `String` key would find the client
    /// "client-K" under "client-\u{212A}" (KELVIN SIGN), which Swift deems equal.
    private var clients: [[UInt8]: OAuthClient] = [:]
    private var grants: [String: Grant] = [:]
    private var codes: [String: AuthorizationCode] = [:]
    private var refreshTokens: [String: RefreshToken] = [:]
    private var sessions: [String: AccessTokenSession] = [:]
    private var demoItems: [String: [DemoItem]] = [:]
    /// Per bucket (by its bytes, as for clients), the count of each window still kept.
    private var callCounts: [[UInt8]: [Date: Int]] = [:]

    /// The most clients kept (10,000): registration is open to anyone, and memory is the process's.
    private let clientLimit: Int
    /// Applied when the bound is reached, before a registration is refused.
    private let clientRetention: ClientRetention

    public init(clientLimit: Int = 10_000, clientRetention: ClientRetention = ClientRetention()) {
        self.clientLimit = clientLimit
        self.clientRetention = clientRetention
    }

    private func locked<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Clients

    public func client(id: String) throws(StoreError) -> OAuthClient? {
        try locked { clients[Array(id.utf8)] }
    }

    public func saveClient(_ client: OAuthClient) throws(StoreError) {
        try locked { () throws(StoreError) in
            let key = Array(client.id.utf8)
            if clients[key] == nil && clients.count >= clientLimit {
                // Full: unused clients make room first, as the janitor would have deleted them.
                _ = deleteUnusedClientsLocked(clientRetention, now: Date(), limit: .max)
                guard clients.count < clientLimit else {
                    throw StoreError.capacity("at most \(clientLimit) clients are kept in memory")
                }
            }
            clients[key] = client
        }
    }

    public func markClientUsed(id: String, now: Date) throws(StoreError) {
        try locked {
            let key = Array(id.utf8)
            guard let client = clients[key] else { return }
            if let lastUsedAt = client.lastUsedAt, lastUsedAt > now.addingTimeInterval(-ClientRetention.useResolution) { return }
            clients[key]?.lastUsedAt = now
        }
    }

    public func deleteUnusedClients(_ retention: ClientRetention, now: Date, limit: Int) throws(StoreError) -> Int {
        try locked { deleteUnusedClientsLocked(retention, now: now, limit: limit) }
    }

    private func deleteUnusedClientsLocked(_ retention: ClientRetention, now: Date, limit: Int) -> Int {
        let due = clients.filter { retention.isUnused($0.value, now: now) }
        guard !due.isEmpty else { return 0 }
        let granted = Set(grants.values.map { Array($0.clientID.utf8) })
        var removed = 0
        for key in due.keys where removed < limit && !granted.contains(key) {
            clients[key] = nil
            removed += 1
        }
        return removed
    }

    // MARK: Grants and codes

    public func createGrant(_ grant: Grant, code: AuthorizationCode) throws(StoreError) {
        try locked { () throws(StoreError) in
            guard grants[grant.id] == nil, codes[code.codeHash] == nil else {
                throw StoreError.conflict("grant or code already exists")
            }
            grants[grant.id] = grant
            codes[code.codeHash] = code
        }
    }

    public func redeemCode(hash: String, now: Date) throws(StoreError) -> CodeRedemption {
        try locked {
            guard var code = codes[hash] else { return .invalid }
            if code.usedAt != nil { return .replayed(grantID: code.grantID) }
            guard code.expiresAt > now, let grant = grants[code.grantID], grant.revokedAt == nil else { return .invalid }
            code.usedAt = now
            codes[hash] = code
            return .redeemed(code, grant)
        }
    }

    public func grant(id: String) throws(StoreError) -> Grant? {
        try locked { grants[id] }
    }

    public func revokeGrant(id: String, now: Date) throws(StoreError) {
        try locked { revokeGrantLocked(id: id, now: now) }
    }

    /// Tokens and sessions of a revoked grant stop working through their grant.
    private func revokeGrantLocked(id: String, now: Date) {
        if grants[id]?.revokedAt == nil { grants[id]?.revokedAt = now }
    }

    public func revokeGrants(userID: String, clientID: String, now: Date) throws(StoreError) {
        try locked {
            // Compared as bytes, as PostgreSQL compares text.
            for (id, grant) in grants where grant.userID.utf8.elementsEqual(userID.utf8)
                && grant.clientID.utf8.elementsEqual(clientID.utf8) && grant.revokedAt == nil {
                grants[id]?.revokedAt = now
            }
        }
    }

    // MARK: Refresh tokens

    public func saveRefreshToken(_ token: RefreshToken) throws(StoreError) {
        try locked { refreshTokens[token.tokenHash] = token }
    }

    public func refreshToken(hash: String) throws(StoreError) -> RefreshToken? {
        try locked { refreshTokens[hash] }
    }

    public func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date,
                                   reuseInterval: TimeInterval) throws(StoreError) -> RefreshRotation {
        try locked {
            guard var token = refreshTokens[hash] else { return .invalid }
            if token.usedAt != nil, !token.isWithinReuseInterval(reuseInterval, now: now) {
                revokeGrantLocked(id: token.grantID, now: now)
                return .reused(grantID: token.grantID)
            }
            guard token.revokedAt == nil, token.expiresAt > now, let grant = grants[token.grantID], grant.revokedAt == nil
            else { return .invalid }
            if token.usedAt == nil { token.usedAt = now }
            refreshTokens[hash] = token
            refreshTokens[replacement.tokenHash] = replacement
            return .rotated
        }
    }

    // MARK: Import

    public func importClient(_ client: OAuthClient) throws(StoreError) -> Bool {
        try locked {
            guard clients[Array(client.id.utf8)] == nil else { return false }
            clients[Array(client.id.utf8)] = client
            return true
        }
    }

    public func importGrant(_ grant: Grant, refreshToken: RefreshToken) throws(StoreError) -> Bool {
        try locked { () throws(StoreError) -> Bool in
            guard refreshTokens[refreshToken.tokenHash] == nil else { return false }
            guard grants[grant.id] == nil else { throw StoreError.conflict("grant already exists") }
            grants[grant.id] = grant
            refreshTokens[refreshToken.tokenHash] = refreshToken
            return true
        }
    }

    // MARK: Access token sessions

    public func saveAccessSession(_ session: AccessTokenSession) throws(StoreError) {
        try locked { sessions[session.jti] = session }
    }

    public func accessSession(jti: String) throws(StoreError) -> (AccessTokenSession, Grant)? {
        try locked {
            guard let session = sessions[jti], let grant = grants[session.grantID] else { return nil }
            return (session, grant)
        }
    }

    public func revokeAccessSession(jti: String, now: Date) throws(StoreError) {
        try locked {
            if sessions[jti]?.revokedAt == nil { sessions[jti]?.revokedAt = now }
        }
    }

    public func deleteExpired(before cutoff: Date, limit: Int) throws(StoreError) -> Int {
        try locked {
            var removed = 0
            for (hash, code) in codes where removed < limit && code.expiresAt < cutoff {
                codes[hash] = nil
                removed += 1
            }
            for (hash, token) in refreshTokens where removed < limit && token.expiresAt < cutoff {
                refreshTokens[hash] = nil
                removed += 1
            }
            for (jti, session) in sessions where removed < limit && session.expiresAt < cutoff {
                sessions[jti] = nil
                removed += 1
            }
            return removed
        }
    }

    // MARK: Call counts

    /// Windows of the bucket older than the one counted are dropped as it is counted (the
    /// memory store has no janitor), so a bucket keeps one or two windows.
    public func countCalls(bucket: String, windowStart: Date, calls: Int) throws(StoreError) -> Int {
        try locked {
            let key = Array(bucket.utf8)
            var windows = callCounts[key, default: [:]].filter { $0.key >= windowStart }
            let total = windows[windowStart, default: 0] + calls
            windows[windowStart] = total
            callCounts[key] = windows
            return total
        }
    }

    public func deleteCallCounts(before cutoff: Date, limit: Int) throws(StoreError) -> Int {
        try locked {
            var removed = 0
            for (bucket, windows) in callCounts where removed < limit {
                for start in windows.keys where removed < limit && start < cutoff {
                    callCounts[bucket]?[start] = nil
                    removed += 1
                }
                if callCounts[bucket]?.isEmpty == true { callCounts[bucket] = nil }
            }
            return removed
        }
    }

    // MARK: Demo items

    public func items(userID: String) throws(StoreError) -> [DemoItem] {
        try locked { itemsCreatingSamples(userID: userID) }
    }

    public func updateItem(userID: String, itemID: String, status: String?) throws(StoreError) -> DemoItem? {
        try locked {
            var items = itemsCreatingSamples(userID: userID)
            guard let index = items.firstIndex(where: { $0.id == itemID }) else { return nil }
            var item = items[index]
            if let status {
                item.status = status
                items[index] = item
            } else {
                items.remove(at: index)
            }
            demoItems[userID] = items
            return item
        }
    }

    private func itemsCreatingSamples(userID: String) -> [DemoItem] {
        if let items = demoItems[userID] { return items }
        let items = DemoItemSamples.make(now: Date())
        demoItems[userID] = items
        return items
    }
}
