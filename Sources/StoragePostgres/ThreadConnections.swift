import Foundation

/// One `PostgresConnection` per thread for one store.
///
/// FastCGI workers are long-lived threads that each serve one request at a time, so a
/// connection per worker needs no pool and no locking on the request path. The pthread key is
/// per store instance; its destructor closes a thread's connection when the thread exits, and
/// the store closes the remaining ones when it goes away.
final class ThreadConnections: @unchecked Sendable {
    private var key = pthread_key_t()
    private let settings: PostgresConnectionSettings
    private let registry = Registry()

    init(settings: PostgresConnectionSettings) {
        self.settings = settings
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<Slot>.fromOpaque(raw).takeRetainedValue().threadExited()
        }
        // Only fails when the process ran out of keys (PTHREAD_KEYS_MAX): stores are meant to
        // be created once per process, so that is a programming error.
        precondition(status == 0, "pthread_key_create failed: \(status)")
    }

    deinit {
        // Nobody can be using a connection any more (every call holds the store), so closing
        // them from this thread is safe. Destructors do not run after pthread_key_delete.
        pthread_key_delete(key)
        registry.closeAll()
    }

    /// This thread's connection, created (not yet connected) on first use.
    var current: PostgresConnection {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<Slot>.fromOpaque(raw).takeUnretainedValue().connection
        }
        let slot = Slot(connection: PostgresConnection(settings: settings), registry: registry)
        registry.insert(slot)
        pthread_setspecific(key, Unmanaged.passRetained(slot).toOpaque())
        return slot.connection
    }

    /// What the pthread key points at. Holds the registry weakly: a thread may outlive the store.
    private final class Slot: @unchecked Sendable {
        let connection: PostgresConnection
        weak var registry: Registry?

        init(connection: PostgresConnection, registry: Registry) {
            self.connection = connection
            self.registry = registry
        }

        func threadExited() {
            // Whoever removes the slot from the registry closes the connection, exactly once.
            if registry?.remove(self) == true { connection.close() }
        }
    }

    /// Every slot still open, so the store can close them all.
    private final class Registry: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [ObjectIdentifier: Slot] = [:]

        func insert(_ slot: Slot) {
            lock.withLock { slots[ObjectIdentifier(slot)] = slot }
        }

        func remove(_ slot: Slot) -> Bool {
            lock.withLock { slots.removeValue(forKey: ObjectIdentifier(slot)) != nil }
        }

        func closeAll() {
            let remaining = lock.withLock {
                defer { slots.removeAll() }
                return Array(slots.values)
            }
            remaining.forEach { $0.connection.close() }
        }
    }
}
