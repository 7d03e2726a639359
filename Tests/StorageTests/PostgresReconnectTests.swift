import Foundation
import Storage
@testable import StoragePostgres
import Testing

/// The server drops a worker's connection (restart, failover, idle kill): the next call must
/// reconnect; reads retry transparently; single-use operations never take effect twice.
@Suite(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
struct PostgresReconnectTests {
    @Test func idempotentCallSucceedsAfterTheConnectionIsTerminated() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let client = OAuthClient(id: "c", name: "C", redirectURIs: ["https://c.example/cb"], origin: .registered,
                                     createdAt: Sample.t0)
            try store.saveClient(client)
            let before = try #require(try store.backendPID())

            try terminate(before, fixture)
            #expect(try store.client(id: "c") == client)
            #expect(try store.backendPID() != before)

            try terminate(try #require(try store.backendPID()), fixture)
            try store.saveClient(client)  // an upsert: retried as well
            #expect(try store.client(id: "c") == client)
        }
    }

    @Test func redeemAfterTerminationTakesEffectAtMostOnce() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let (grant, code) = try Sample.storedGrant(store)
            try terminate(try #require(try store.backendPID()), fixture)

            let outcome = Result { () throws(StoreError) in try store.redeemCode(hash: code.codeHash, now: Sample.t0 + 1) }
            switch outcome {
            case .success(.redeemed(let used, let redeemedGrant)):
                #expect(used.usedAt == Sample.t0 + 1 && redeemedGrant.id == grant.id)
            case .failure(.unavailable):
                break
            default:
                Issue.record("unexpected outcome \(outcome)")
            }
            let again = try store.redeemCode(hash: code.codeHash, now: Sample.t0 + 2)
            if case .success = outcome {
                #expect(again == .replayed(grantID: grant.id))
            } else {
                #expect(again != .invalid)
            }
            let marks = try fixture.admin().execute("SELECT count(*) FROM oauth_authorization_codes WHERE used_at IS NOT NULL")
            #expect(try marks[0].int(0) == 1)
        }
    }

    @Test func rotationAfterTerminationTakesEffectAtMostOnce() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let (grant, _) = try Sample.storedGrant(store)
            let token = Sample.refreshToken(for: grant)
            try store.saveRefreshToken(token)
            try terminate(try #require(try store.backendPID()), fixture)

            let replacement = Sample.refreshToken(for: grant)
            let outcome = Result { () throws(StoreError) in
                try store.rotateRefreshToken(hash: token.tokenHash, replacement: replacement, now: Sample.t0 + 1)
            }
            switch outcome {
            case .success(.rotated):
                #expect(try store.refreshToken(hash: replacement.tokenHash) == replacement)
                #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: Sample.refreshToken(for: grant),
                                                     now: Sample.t0 + 2) == .reused(grantID: grant.id))
            case .failure(.unavailable):
                break
            default:
                Issue.record("unexpected outcome \(outcome)")
            }
            let rows = try fixture.admin().execute("SELECT count(*) FROM oauth_refresh_tokens")
            #expect(try rows[0].int(0) <= 2)
        }
    }

    /// What makes the single-use retries safe: an attempt that committed before the connection
    /// dropped is recognised as the caller's own when run again, and is still a replay or a
    /// failure for everyone else.
    @Test func aRepeatedAttemptRecognisesItsOwnCommit() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let connection = try fixture.admin()
            let (grant, code) = try Sample.storedGrant(store)
            let first = try store.redeemCode(hash: code.codeHash, now: Sample.t0 + 1, attempt: "attempt-1", on: connection)
            let repeated = try store.redeemCode(hash: code.codeHash, now: Sample.t0 + 2, attempt: "attempt-1", on: connection)
            #expect(first == repeated)
            #expect(first != .invalid && first != .replayed(grantID: grant.id))
            #expect(try store.redeemCode(hash: code.codeHash, now: Sample.t0 + 2, attempt: "attempt-2", on: connection)
                == .replayed(grantID: grant.id))

            let token = Sample.refreshToken(for: grant)
            try store.saveRefreshToken(token)
            let replacement = Sample.refreshToken(for: grant)
            #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: replacement, now: Sample.t0 + 1,
                                                 isRetry: false, on: connection) == .rotated)
            // Its own commit, not a reuse: the grant stays.
            #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: replacement, now: Sample.t0 + 2,
                                                 isRetry: true, on: connection) == .rotated)
            #expect(try store.grant(id: grant.id)?.revokedAt == nil)
            #expect(try store.rotateRefreshToken(hash: token.tokenHash, replacement: Sample.refreshToken(for: grant),
                                                 now: Sample.t0 + 2, isRetry: true, on: connection) == .reused(grantID: grant.id))
            #expect(try store.refreshToken(hash: token.tokenHash)?.usedAt == Sample.t0 + 1)
        }
    }

    /// Ends a backend from another connection and waits until it is gone.
    private func terminate(_ pid: Int32, _ fixture: PostgresFixture) throws {
        let admin = try fixture.admin()
        try admin.execute("SELECT pg_terminate_backend($1::int)", params: [String(pid)])
        for _ in 0..<100 {
            if try admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = $1::int", params: [String(pid)]).rowCount == 0 {
                return
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        Issue.record("backend \(pid) did not exit")
    }
}
