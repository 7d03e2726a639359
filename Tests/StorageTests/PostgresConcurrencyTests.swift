import Foundation
import Storage
import StoragePostgres
import Testing

/// Several processes share one database: 8 threads, each with its own store and connection,
/// race on the same code or token. The database must pick exactly one winner every time.
@Suite(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
struct PostgresConcurrencyTests {
    let threads = 8
    let rounds = 50

    @Test func racingRedeemsHaveExactlyOneWinnerPerCode() throws {
        try withPostgres { fixture in
            var issued: [(Grant, AuthorizationCode)] = []
            for _ in 0..<rounds { issued.append(try Sample.storedGrant(fixture.store)) }
            let codes = issued
            let url = fixture.url

            let results = race(threads: threads, rounds: rounds, setUp: { _ in Self.store(url) }) { store, round in
                Result { () throws(StoreError) in try store.redeemCode(hash: codes[round].1.codeHash, now: Sample.t0 + 1) }
            }
            for (round, outcomes) in results.enumerated() {
                let grantID = codes[round].0.id
                let winners = outcomes.filter { if case .success(.redeemed) = $0 { true } else { false } }
                #expect(winners.count == 1, "round \(round): \(winners.count) winners")
                #expect(outcomes.filter { $0 == .success(.replayed(grantID: grantID)) }.count == threads - 1)
            }
        }
    }

    @Test func racingRotationsHaveExactlyOneWinnerPerToken() throws {
        try withPostgres { fixture in
            // A grant per round: the losers' reuse revokes the grant of their round.
            var issued: [RefreshToken] = []
            for _ in 0..<rounds {
                let (grant, _) = try Sample.storedGrant(fixture.store)
                let token = Sample.refreshToken(for: grant)
                try fixture.store.saveRefreshToken(token)
                issued.append(token)
            }
            let tokens = issued
            let url = fixture.url

            let results = race(threads: threads, rounds: rounds, setUp: { _ in Self.store(url) }) { store, round in
                let replacement = Sample.refreshToken(for: Sample.grant(id: tokens[round].grantID))
                let outcome = Result { () throws(StoreError) in
                    try store.rotateRefreshToken(hash: tokens[round].tokenHash, replacement: replacement, now: Sample.t0 + 1)
                }
                return (outcome, replacement.tokenHash)
            }
            for (round, outcomes) in results.enumerated() {
                #expect(outcomes.filter { $0.0 == .success(.rotated) }.count == 1, "round \(round)")
                // Every loser presented a token already used: reuse (RFC 9700 §4.14.2).
                #expect(outcomes.filter { $0.0 == .success(.reused(grantID: tokens[round].grantID)) }.count == threads - 1,
                        "round \(round)")
                // Only the winner's replacement was stored.
                for (outcome, replacementHash) in outcomes {
                    let stored = try fixture.store.refreshToken(hash: replacementHash) != nil
                    #expect(stored == (outcome == .success(.rotated)))
                }
            }
        }
    }

    /// A client's parallel refreshes with one token, within the reuse interval: every one
    /// rotates, each replacement is stored, and the grant stays alive.
    @Test func racingRotationsWithinTheReuseIntervalAllRotate() throws {
        try withPostgres { fixture in
            var issued: [RefreshToken] = []
            for _ in 0..<rounds {
                let (grant, _) = try Sample.storedGrant(fixture.store)
                let token = Sample.refreshToken(for: grant)
                try fixture.store.saveRefreshToken(token)
                issued.append(token)
            }
            let tokens = issued
            let url = fixture.url

            let results = race(threads: threads, rounds: rounds, setUp: { _ in Self.store(url) }) { store, round in
                let replacement = Sample.refreshToken(for: Sample.grant(id: tokens[round].grantID))
                let outcome = Result { () throws(StoreError) in
                    try store.rotateRefreshToken(hash: tokens[round].tokenHash, replacement: replacement, now: Sample.t0 + 1,
                                                 reuseInterval: 5)
                }
                return (outcome, replacement.tokenHash)
            }
            for (round, outcomes) in results.enumerated() {
                #expect(outcomes.allSatisfy { $0.0 == .success(.rotated) }, "round \(round)")
                for (_, replacementHash) in outcomes {
                    #expect(try fixture.store.refreshToken(hash: replacementHash) != nil)
                }
                #expect(try fixture.store.grant(id: tokens[round].grantID)?.revokedAt == nil)
            }
        }
    }

    @Test func concurrentMigrationsApplyEachVersionOnce() throws {
        try withPostgres(migrate: false) { fixture in
            let url = fixture.url
            let results = race(threads: 4, rounds: 1, setUp: { _ in () }) { _, _ in
                Result { () throws(PostgresSetupError) in try PostgresMigrator.migrate(connectionString: url) }
            }
            let applied = try results[0].flatMap { try $0.get() }
            #expect(applied.sorted() == PostgresMigrations.all.map(\.version))
        }
    }

    private static func store(_ url: String) -> PostgresStore {
        // swiftlint:disable:next force_try
        try! PostgresStore(connectionString: url, tokenEncryptionKey: TestDatabase.key, applicationName: "StorageTests race")
    }
}
