import CFastCGI
import Foundation
import HTTPMessages
import Routes
import ServerLog
import Threads

/// N threads, each waiting on the shared listen socket and serving one request at a time.
///
/// SIGHUP: the main thread runs `onReload` (a new app manifest) while workers keep serving.
/// Shutdown (SIGTERM or SIGINT): the main thread, the only one that takes those signals, writes
/// to a wake pipe every idle worker polls; busy workers finish their request first. Every worker
/// thread is joined before `runUntilTerminated` returns, so nothing still runs when the process
/// exits.
final class WorkerPool: @unchecked Sendable {
    private let listenDescriptor: Int32
    private let threadCount: Int
    private let maxBodyBytes: Int
    private let responder: any Responder
    private var wakePipe: [Int32] = [-1, -1]

    init(listenDescriptor: Int32, threads: Int, maxBodyBytes: Int, responder: any Responder) {
        self.listenDescriptor = listenDescriptor
        self.threadCount = threads
        self.maxBodyBytes = maxBodyBytes
        self.responder = responder
    }

    func runUntilTerminated(onReload: () -> Void) {
        var stopSignals = Self.blockStopSignals()
        guard FCGX_Init() == 0, pipe(&wakePipe) == 0 else {
            StartupFailure.exit("cannot initialise libfcgi or the wake pipe")
        }
        let workers = (0..<threadCount).map { index in
            JoinableThread(name: "fcgi-worker-\(index)") { [self] in workerLoop() }
        }

        var received: Int32 = 0
        while sigwait(&stopSignals, &received) == 0, received == SIGHUP {
            onReload()
        }
        ServerLog.write(.info, "shutting down: finishing requests in flight", ["signal": .int(Int(received))])
        var byte: UInt8 = 1
        _ = write(wakePipe[1], &byte, 1)
        workers.forEach { $0.join() }
    }

    /// Blocks SIGTERM/SIGINT/SIGHUP in this thread before workers start, so every worker inherits
    /// the mask and only `sigwait` in the main thread sees them (libfcgi's handlers never run).
    private static func blockStopSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        return set
    }

    private func workerLoop() {
        let request = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        defer { request.deallocate() }
        guard FCGX_InitRequest(request, listenDescriptor, 0) == 0,
              let waiter = ConnectionWaiter(listenDescriptor: listenDescriptor, wakeDescriptor: wakePipe[0])
        else {
            ServerLog.write(.error, "a worker thread could not start", ["error": .string(String(cString: strerror(errno)))])
            return
        }
        while case .connection = waiter.next() {
            guard FCGX_Accept_r(request) >= 0 else { continue }  // another worker took it
            let connection = FastCGIConnection(request: request)
            connection.serve(maxBodyBytes: maxBodyBytes, responder: responder)
            connection.finish()
        }
        FCGX_Free(request, 1)
    }
}
