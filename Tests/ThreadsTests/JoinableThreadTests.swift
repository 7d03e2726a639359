import Foundation
import Testing
import Threads

/// What the shutdown relies on: after `join()`, the thread is gone, thread-local destructors
/// included (a worker's OpenSSL state must not be freed while `exit` runs).
@Suite struct JoinableThreadTests {
    /// Set by the thread-local destructor, after a pause that would let a racing caller pass.
    nonisolated(unsafe) static var destructorFinished = false

    @Test func joinWaitsForThreadLocalDestructors() {
        var created = pthread_key_t()
        pthread_key_create(&created) { _ in
            usleep(100_000)
            JoinableThreadTests.destructorFinished = true
        }
        let key = created
        defer { pthread_key_delete(key) }
        let thread = JoinableThread(name: "test-worker") {
            pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        }
        thread.join()
        #expect(JoinableThreadTests.destructorFinished)
        thread.join()  // a second join returns at once
    }

    @Test func theBodyRunsWithTheGivenName() {
        let seen = LockedName()
        let thread = JoinableThread(name: "named-worker") { seen.value = Thread.current.name }
        thread.join()
        #expect(seen.value == "named-worker")
    }
}

private final class LockedName: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
