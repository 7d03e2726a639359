import Foundation

/// Counts of calls in fixed windows of time, per bucket (such as one user's calls to `/mcp`),
/// for the per-user call budgets. With PostgreSQL every process and host adds to the same count;
/// the memory store counts for its one process, which is then the whole deployment.
public protocol CallCountStore: Sendable {
    /// Adds `calls` to the count of `bucket` in the window that starts at `windowStart` and
    /// returns the count after adding. Concurrent callers never lose a call: their sums add up.
    func countCalls(bucket: String, windowStart: Date, calls: Int) throws(StoreError) -> Int
    /// Deletes at most `limit` counts of windows that started before `cutoff`; returns how many went.
    func deleteCallCounts(before cutoff: Date, limit: Int) throws(StoreError) -> Int
}
