@testable import OAuth
import Testing

@Suite struct LeastRecentlyUsedTests {
    @Test func evictsTheLeastRecentlyUsedWhenFull() {
        var cache = LeastRecentlyUsed<String, Int>(capacity: 3)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(3, for: "c")
        #expect(cache.value(for: "a") == 1)   // "b" is now the least recently used
        cache.set(4, for: "d")
        #expect(cache.peek("b") == nil)
        #expect(cache.keysByRecency == ["d", "a", "c"])
        #expect(cache.count == 3)
    }

    @Test func overwritingCountsAsUseAndKeepsTheCount() {
        var cache = LeastRecentlyUsed<String, Int>(capacity: 2)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.set(10, for: "a")
        cache.set(3, for: "c")
        #expect(cache.peek("a") == 10 && cache.peek("b") == nil && cache.count == 2)
    }

    @Test func peekingDoesNotCountAsUse() {
        var cache = LeastRecentlyUsed<String, Int>(capacity: 2)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        _ = cache.peek("a")
        cache.set(3, for: "c")
        #expect(cache.peek("a") == nil && cache.keysByRecency == ["c", "b"])
    }

    @Test func removedSlotsAreReusedWithoutEvicting() {
        var cache = LeastRecentlyUsed<String, Int>(capacity: 2)
        cache.set(1, for: "a")
        cache.set(2, for: "b")
        cache.removeValue(for: "a")
        cache.removeValue(for: "missing")
        cache.set(3, for: "c")
        #expect(cache.keysByRecency == ["c", "b"] && cache.count == 2)
        cache.removeValue(for: "c")
        cache.removeValue(for: "b")
        #expect(cache.keysByRecency.isEmpty && cache.count == 0)
        cache.set(4, for: "d")
        #expect(cache.keysByRecency == ["d"])
    }

    /// A long run of distinct keys never holds more than the capacity, and the survivors are
    /// exactly the most recent ones.
    @Test func staysBoundedUnderAFlood() {
        var cache = LeastRecentlyUsed<Int, Int>(capacity: 100)
        for key in 0..<10_000 { cache.set(key, for: key) }
        #expect(cache.count == 100)
        #expect(cache.keysByRecency == Array((9_900..<10_000).reversed()))
    }
}
