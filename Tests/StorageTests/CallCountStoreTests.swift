import Foundation
import Storage
import StoragePostgres
import Testing

/// The call-count contract, on the memory store and PostgreSQL: counts add up per bucket and
/// window, and past windows can be deleted.
@Suite struct CallCountStoreTests {
    let minute = Date(timeIntervalSince1970: 1_767_225_600)

    @Test(arguments: StoreKind.available) func countsAddUpPerBucketAndWindow(_ kind: StoreKind) throws {
        try withStore(kind) { store throws in
            #expect(try store.countCalls(bucket: "mcp:user:a", windowStart: minute, calls: 1) == 1)
            #expect(try store.countCalls(bucket: "mcp:user:a", windowStart: minute, calls: 1) == 2)
            #expect(try store.countCalls(bucket: "mcp:user:a", windowStart: minute, calls: 10) == 12)
            // Other buckets and the next window start from nothing.
            #expect(try store.countCalls(bucket: "mcp:user:b", windowStart: minute, calls: 1) == 1)
            #expect(try store.countCalls(bucket: "backend:user:a", windowStart: minute, calls: 1) == 1)
            #expect(try store.countCalls(bucket: "mcp:user:a", windowStart: minute + 60, calls: 1) == 1)
            // Buckets are compared byte for byte (KELVIN SIGN is not K).
            #expect(try store.countCalls(bucket: "mcp:user:\u{212A}", windowStart: minute, calls: 1) == 1)
            #expect(try store.countCalls(bucket: "mcp:user:K", windowStart: minute, calls: 1) == 1)
        }
    }

    @Test(arguments: StoreKind.available) func pastWindowsAreDeleted(_ kind: StoreKind) throws {
        try withStore(kind) { store throws in
            _ = try store.countCalls(bucket: "a", windowStart: minute, calls: 5)
            _ = try store.countCalls(bucket: "b", windowStart: minute, calls: 5)
            _ = try store.countCalls(bucket: "c", windowStart: minute + 60, calls: 5)
            #expect(try store.deleteCallCounts(before: minute + 60, limit: 1) == 1)
            #expect(try store.deleteCallCounts(before: minute + 60, limit: 10) == 1)
            #expect(try store.deleteCallCounts(before: minute + 60, limit: 10) == 0)
            // The current window is kept; a deleted one starts again from nothing.
            #expect(try store.countCalls(bucket: "c", windowStart: minute + 60, calls: 1) == 6)
            #expect(try store.countCalls(bucket: "a", windowStart: minute, calls: 1) == 1)
        }
    }
}

/// Several processes count one user's calls at once: 8 threads, each with its own store and
/// PostgreSQL connection, add to one count; no call is lost and each caller sees its own total.
@Suite(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
struct PostgresCallCountConcurrencyTests {
    @Test func concurrentCountsSumExactly() throws {
        try withPostgres { fixture throws in
            let url = fixture.url
            let threads = 8, rounds = 50
            let window = Date(timeIntervalSince1970: 1_767_225_600)
            let results = race(threads: threads, rounds: rounds, setUp: { _ in
                try! PostgresStore(connectionString: url, tokenEncryptionKey: TestDatabase.key, applicationName: "StorageTests")
            }) { store, _ in
                Result { () throws(StoreError) in try store.countCalls(bucket: "mcp:user:racer", windowStart: window, calls: 1) }
            }
            let totals = results.joined().compactMap { try? $0.get() }
            #expect(totals.count == threads * rounds)
            #expect(Set(totals) == Set(1...(threads * rounds)))
            #expect(try fixture.store.countCalls(bucket: "mcp:user:racer", windowStart: window, calls: 0) == threads * rounds)
        }
    }
}
