import Foundation
import ServerLog
import Storage
import Threads

/// Deletes expired codes, tokens and sessions (and grants left with none, then registered
/// clients left unused), and the call counts of past windows, in the background, so request
/// handling never pays for cleanup.
///
/// Runs on its own thread, which gives it its own connection from the store. Every process
/// may run one: the deletes skip rows another janitor has locked. `stop()` joins the thread, so
/// the process can exit with no cleanup half done.
public final class PostgresJanitor: @unchecked Sendable {
    private let store: PostgresStore
    private let interval: TimeInterval
    private let retention: TimeInterval
    /// How long call counts stay after their window started: a window is a minute, so a few
    /// minutes leave room for clocks that differ between hosts.
    private let callCountRetention: TimeInterval = 300
    private let batchSize: Int
    private let clientRetention: ClientRetention
    /// Caps one run, so a huge backlog is worked off over several runs.
    private let maxBatchesPerRun = 200
    private let condition = NSCondition()
    private var stopping = false
    private var thread: JoinableThread?

    /// - Parameters:
    ///   - interval: time between runs (10 minutes).
    ///   - retention: how long rows stay after they expire (a day: recent replays are still
    ///     recognised as replays and audit queries can see them).
    ///   - batchSize: rows per DELETE statement.
    ///   - clientRetention: when registered clients are deleted for disuse (`CLIENT_IDLE_DAYS`).
    public init(store: PostgresStore, interval: TimeInterval = 600, retention: TimeInterval = 86_400,
                batchSize: Int = 500, clientRetention: ClientRetention = ClientRetention()) {
        self.store = store
        self.clientRetention = clientRetention
        self.interval = interval
        self.retention = retention
        self.batchSize = batchSize
    }

    public func start() {
        condition.withLock {
            guard thread == nil else { return }
            thread = JoinableThread(name: "postgres-janitor") { [self] in run() }
        }
    }

    /// Wakes the thread and waits until it has finished its current batch and exited.
    public func stop() {
        let running = condition.withLock {
            stopping = true
            condition.broadcast()
            return thread
        }
        running?.join()
    }

    /// One cleanup pass; returns how many rows went. `start()` calls it every `interval`.
    @discardableResult
    public func runOnce(now: Date = Date()) -> Int {
        let cutoff = now.addingTimeInterval(-retention)
        var removed = 0
        do {
            removed += try drain { () throws(StoreError) in try store.deleteExpired(before: cutoff, limit: batchSize) }
            removed += try drain { () throws(StoreError) in try store.deleteOrphanedGrants(before: cutoff, limit: batchSize) }
            removed += try drain { () throws(StoreError) in
                try store.deleteUnusedClients(clientRetention, now: now, limit: batchSize)
            }
            let countsCutoff = now.addingTimeInterval(-callCountRetention)
            removed += try drain { () throws(StoreError) in try store.deleteCallCounts(before: countsCutoff, limit: batchSize) }
        } catch {
            ServerLog.write(.warning, "database cleanup failed; retrying next run", ["error": .string(error.description)])
        }
        if removed > 0 { ServerLog.write(.info, "database cleanup", ["deleted": .int(removed)]) }
        return removed
    }

    private func drain(_ batch: () throws(StoreError) -> Int) throws(StoreError) -> Int {
        var total = 0
        for _ in 0..<maxBatchesPerRun {
            if isStopping { break }
            let removed = try batch()
            total += removed
            if removed < batchSize { break }
        }
        return total
    }

    private var isStopping: Bool { condition.withLock { stopping } }

    private func run() {
        // A random first delay keeps processes started together from cleaning in lockstep.
        var next = Date().addingTimeInterval(Double.random(in: 0...min(60, interval)))
        while waitUntil(next) {
            runOnce()
            next = Date().addingTimeInterval(interval)
        }
    }

    /// False once `stop()` was called.
    private func waitUntil(_ deadline: Date) -> Bool {
        condition.withLock {
            while !stopping && Date() < deadline { _ = condition.wait(until: deadline) }
            return !stopping
        }
    }
}
