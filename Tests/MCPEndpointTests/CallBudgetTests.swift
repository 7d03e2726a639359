import Foundation
import MCPEndpoint
import Storage
import Testing

/// The per-user budgets: counted per user and window, refused with the seconds left, off at 0,
/// and open when the store cannot count.
@Suite struct CallBudgetTests {
    let minute = CallWindowTests.minute

    func budget(_ callsPerMinute: Int, store: any CallCountStore = MemoryStore(), at clock: Clock) -> CallBudget {
        CallBudget(name: "mcp", callsPerMinute: callsPerMinute, store: store, clock: { clock.now })
    }

    @Test func refusesPastTheBudgetUntilTheWindowEnds() {
        let clock = Clock(minute + 15.2)
        let budget = budget(3, at: clock)
        #expect((1...3).map { _ in budget.spend(1, userID: "did:privy:alice") } == Array(repeating: .allowed, count: 3))
        #expect(budget.spend(1, userID: "did:privy:alice") == .exhausted(retryAfter: 45))
        clock.now = minute + 59.5
        #expect(budget.spend(1, userID: "did:privy:alice") == .exhausted(retryAfter: 1))
        // Another user has a budget of their own.
        #expect(budget.spend(3, userID: "did:privy:bob") == .allowed)
        // A new minute, a new budget.
        clock.now = minute + 60
        #expect(budget.spend(3, userID: "did:privy:alice") == .allowed)
        #expect(budget.spend(1, userID: "did:privy:alice") == .exhausted(retryAfter: 60))
    }

    @Test func severalCallsAtOnceCountAsThatMany() {
        let budget = budget(10, at: Clock(minute))
        #expect(budget.spend(8, userID: "u") == .allowed)
        #expect(budget.spend(3, userID: "u") == .exhausted(retryAfter: 60))
    }

    @Test func budgetsWithOtherNamesCountApart() {
        let store = MemoryStore()
        let clock = Clock(minute)
        let mcp = CallBudget(name: "mcp", callsPerMinute: 1, store: store, clock: { clock.now })
        let backend = CallBudget(name: "backend", callsPerMinute: 1, store: store, clock: { clock.now })
        #expect(mcp.spend(1, userID: "u") == .allowed)
        #expect(backend.spend(1, userID: "u") == .allowed)
        #expect(mcp.spend(1, userID: "u") != .allowed)
    }

    @Test func zeroIsNoLimitAndCountsNothing() {
        let store = CountingStore()
        let budget = budget(0, store: store, at: Clock(minute))
        #expect((1...1000).allSatisfy { _ in budget.spend(1, userID: "u") == .allowed })
        #expect(store.calls == 0)
        #expect(CallBudget.unlimited("mcp").spend(1_000_000, userID: "u") == .allowed)
    }

    /// Fail open: the database being down must not turn every call into a refusal.
    @Test func aStoreThatCannotCountLetsCallsThrough() {
        let store = CountingStore(failing: true)
        let budget = budget(1, store: store, at: Clock(minute))
        #expect(budget.spend(1, userID: "u") == .allowed)
        #expect(budget.spend(1, userID: "u") == .allowed)
        #expect(store.calls == 2)
    }
}

/// A settable time.
final class Clock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ value: Date) { self.value = value }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// Counts how often it is asked; answers from a memory store, or fails as a database that is down.
final class CountingStore: CallCountStore, @unchecked Sendable {
    private let lock = NSLock()
    private let inner = MemoryStore()
    private let failing: Bool
    private var asked = 0

    init(failing: Bool = false) { self.failing = failing }

    var calls: Int { lock.withLock { asked } }

    func countCalls(bucket: String, windowStart: Date, calls: Int) throws(StoreError) -> Int {
        lock.withLock { asked += 1 }
        if failing { throw .unavailable("connection refused") }
        return try inner.countCalls(bucket: bucket, windowStart: windowStart, calls: calls)
    }

    func deleteCallCounts(before cutoff: Date, limit: Int) throws(StoreError) -> Int { 0 }
}
