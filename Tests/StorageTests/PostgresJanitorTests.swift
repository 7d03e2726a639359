import Foundation
import Storage
import StoragePostgres
import Testing

@Suite(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
struct PostgresJanitorTests {
    let day: TimeInterval = 86_400

    @Test func removesRowsExpiredLongerThanTheRetentionAndDeadGrants() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let t0 = Sample.t0
            // Dead: its code and token expired more than a day before "now" (t0 + 3 days).
            let (dead, _) = try Sample.storedGrant(store)
            for _ in 0..<5 { try store.saveRefreshToken(Sample.refreshToken(for: dead, expiresAt: t0 + day)) }
            // Alive: a long-lived token, and one expired only recently (kept for the retention).
            let (alive, _) = try Sample.storedGrant(store)
            let longLived = Sample.refreshToken(for: alive)
            let recent = Sample.refreshToken(for: alive, expiresAt: t0 + 2.5 * day)
            try store.saveRefreshToken(longLived)
            try store.saveRefreshToken(recent)

            let janitor = PostgresJanitor(store: store, retention: day, batchSize: 2)
            // 2 codes + 5 tokens, then the dead grant.
            #expect(janitor.runOnce(now: t0 + 3 * day) == 8)
            #expect(try store.grant(id: dead.id) == nil)
            #expect(try store.grant(id: alive.id) != nil)
            #expect(try store.refreshToken(hash: longLived.tokenHash) == longLived)
            #expect(try store.refreshToken(hash: recent.tokenHash) == recent)
            #expect(janitor.runOnce(now: t0 + 3 * day) == 0)
        }
    }

    /// After its grants are gone, a client no grant refers to any more goes too, once unused
    /// for long enough; a client whose grant is alive stays.
    @Test func removesUnusedClientsOnceTheirGrantsAreGone() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let t0 = Sample.t0
            for id in ["client-1", "client-2"] {
                try store.saveClient(OAuthClient(id: id, name: id, redirectURIs: ["https://x.example/cb"], origin: .registered,
                                                 createdAt: t0 - 10 * day))
            }
            // client-1's grant dies with its code; client-2's lives on a long-lived token.
            _ = try Sample.storedGrant(store, clientID: "client-1", codeExpiresAt: t0)
            let (alive, _) = try Sample.storedGrant(store, clientID: "client-2")
            try store.saveRefreshToken(Sample.refreshToken(for: alive))

            let janitor = PostgresJanitor(store: store, retention: day, clientRetention: ClientRetention(idle: 30 * day))
            // Both codes (expired), client-1's grant, then client-1.
            #expect(janitor.runOnce(now: t0 + 3 * day) == 4)
            #expect(try store.client(id: "client-1") == nil)
            #expect(try store.client(id: "client-2") != nil)
        }
    }

    /// Call counts are worth a minute: those of windows started more than 5 minutes ago go.
    @Test func removesCallCountsOfPastWindows() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let now = Sample.t0
            _ = try store.countCalls(bucket: "mcp:user:old", windowStart: now - 360, calls: 3)
            _ = try store.countCalls(bucket: "mcp:user:recent", windowStart: now - 240, calls: 3)
            _ = try store.countCalls(bucket: "mcp:user:now", windowStart: now, calls: 3)
            #expect(PostgresJanitor(store: store, retention: day).runOnce(now: now) == 1)
            #expect(try store.countCalls(bucket: "mcp:user:old", windowStart: now - 360, calls: 1) == 1)
            #expect(try store.countCalls(bucket: "mcp:user:recent", windowStart: now - 240, calls: 1) == 4)
            #expect(try store.countCalls(bucket: "mcp:user:now", windowStart: now, calls: 1) == 4)
        }
    }

    @Test func backgroundThreadRunsAndStops() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let now = Date()
            let grant = Sample.grant(createdAt: now - 4 * day)
            try store.createGrant(grant, code: Sample.code(for: grant, expiresAt: now - 3 * day))
            try store.saveRefreshToken(Sample.refreshToken(for: grant, expiresAt: now - 3 * day))

            let janitor = PostgresJanitor(store: store, interval: 0.05, retention: day)
            janitor.start()
            var remaining = 1
            for _ in 0..<100 where remaining > 0 {
                Thread.sleep(forTimeInterval: 0.05)
                remaining = try fixture.admin().execute("SELECT count(*) FROM oauth_grants")[0].int(0)
            }
            janitor.stop()
            #expect(remaining == 0)
        }
    }
}
