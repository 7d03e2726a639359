import Foundation

/// A POSIX thread that can be joined, for threads that must be completely gone before the
/// process exits.
///
/// Foundation's `Thread` cannot be joined: signalling "done" from inside it still leaves the
/// thread running its thread-local destructors (OpenSSL's per-thread state among them), and
/// `exit` running OpenSSL's own exit handler at the same moment can free that state twice (an
/// intermittent "double free or corruption" abort at shutdown). `join()` returns only after the
/// thread, destructors included, has ended.
public final class JoinableThread: @unchecked Sendable {
    private var handle: pthread_t = 0  // an integer on Linux
    private var joined = false

    /// Starts `body` on a new thread named `name`.
    public init(name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
        let attributes = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
        pthread_attr_init(attributes)
        defer {
            pthread_attr_destroy(attributes)
            attributes.deallocate()
        }
        pthread_attr_setstacksize(attributes, stackSize)
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        let created = pthread_create(&handle, attributes, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            Thread.current.name = start.name  // also the OS thread name, as `top -H` shows it
            start.body()
            return nil
        }, start)
        guard created == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            fatalError("pthread_create failed (\(created)) for \(name)")
        }
    }

    /// Waits until the thread has ended; later calls return at once. Not from the thread itself.
    public func join() {
        guard !joined else { return }
        pthread_join(handle, nil)
        joined = true
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
