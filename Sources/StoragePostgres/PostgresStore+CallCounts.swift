import Foundation
import Storage

extension PostgresStore {
    /// One statement per count: the upsert takes the row's lock, so concurrent requests of every
    /// process add up exactly, and RETURNING gives the total without a second round trip.
    static let countCalls = PostgresStatement(name: "count_calls", sql: """
        INSERT INTO call_counts (bucket, window_start, calls) VALUES ($1, to_timestamp($2), $3)
        ON CONFLICT (bucket, window_start) DO UPDATE SET calls = call_counts.calls + EXCLUDED.calls
        RETURNING calls
        """)

    /// Bounded and SKIP LOCKED, like the other janitor deletes (`PostgresStore+Cleanup.swift`).
    static let deleteCallCounts = PostgresStatement(name: "delete_call_counts", sql: """
        DELETE FROM call_counts WHERE ctid IN (
          SELECT ctid FROM call_counts WHERE window_start < to_timestamp($1) LIMIT $2 FOR UPDATE SKIP LOCKED
        )
        """)

    /// Never retried: if the connection dropped after the statement committed, a repeat would
    /// count the calls twice.
    public func countCalls(bucket: String, windowStart: Date, calls: Int) throws(StoreError) -> Int {
        try perform("countCalls", .never) { connection, _ throws(StoreError) in
            let result = try connection.execute(Self.countCalls,
                                                params: [bucket, PostgresParameter.timestamp(windowStart), String(calls)])
            guard result.rowCount == 1 else { throw StoreError.unavailable("the call count came back without its row") }
            return try result[0].int(0)
        }
    }

    public func deleteCallCounts(before cutoff: Date, limit: Int) throws(StoreError) -> Int {
        guard limit > 0 else { return 0 }
        return try perform("deleteCallCounts", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.deleteCallCounts, params: [PostgresParameter.timestamp(cutoff), String(limit)]).affectedRows
        }
    }
}
