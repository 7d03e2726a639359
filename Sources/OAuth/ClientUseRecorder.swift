import Foundation
import Storage

/// Records that a client obtained a token (`ClientStore.markClientUsed`), so unused
/// registrations can be deleted (`ClientRetention`), at most once a day per client per process:
/// the store write is itself conditional, this spares the round trip on the token path.
final class ClientUseRecorder: @unchecked Sendable {
    private let store: any ClientStore
    private let lock = NSLock()
    private var recorded: [String: Date] = [:]
    /// Bounds the memo; forgetting it only costs one more conditional write per client.
    private let capacity = 10_000

    init(store: any ClientStore) { self.store = store }

    func recordUse(clientID: String, now: Date) {
        let due = lock.withLock {
            if let last = recorded[clientID], now.timeIntervalSince(last) < ClientRetention.useResolution { return false }
            if recorded.count >= capacity { recorded.removeAll() }
            recorded[clientID] = now
            return true
        }
        guard due else { return }
        do {
            try store.markClientUsed(id: clientID, now: now)
        } catch {
            // Bookkeeping only: the token is issued anyway, and a client with a grant is never
            // deleted, so a missed mark cannot remove a client in use. Try again next time.
            lock.withLock { recorded[clientID] = nil }
        }
    }
}
