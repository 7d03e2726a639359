import Foundation

/// Operations per second of CPU time spent by this thread.
///
/// `openssl speed`, our reference, divides by CPU user time too, so both figures stay comparable
/// when other processes share the machine (wall-clock rates would fall with the load).
enum CPUTimeRate {
    static func measure(seconds: Double, batch: Int = 20, _ body: () throws -> Void) rethrows -> Double {
        try body()  // warm up, and fail loudly rather than time errors
        var count = 0
        let start = threadCPUSeconds()
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<batch { try body() }
            count += batch
            elapsed = threadCPUSeconds() - start
        }
        return Double(count) / elapsed
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension CPUTimeRate {
    /// Operations per second of CPU time spent by the whole process while `threads` plain threads
    /// (as FastCGI workers are) each run their own `body` over and over for `seconds` of wall-clock
    /// time. The process clock rather than the thread's: work a thread hands to other threads (Swift
    /// concurrency's pool runs an actor's code) is counted too. `makeBody` runs on the thread that
    /// will use the body, once per thread, and the body runs once before timing starts.
    static func measureProcess(threads: Int, seconds: Double,
                               makeBody: @escaping @Sendable (Int) throws -> () throws -> Void) throws -> Double {
        let run = SharedRun()
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for index in 0..<threads {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                var body: (() throws -> Void)?
                do {
                    body = try makeBody(index)
                    try body?()
                } catch {
                    run.fail(error)
                }
                ready.signal()
                go.wait()
                guard let body, !run.failed else { return }
                var count = 0
                do {
                    while DispatchTime.now() < run.deadline {
                        try body()
                        count += 1
                    }
                } catch {
                    run.fail(error)
                }
                run.add(count)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<threads { ready.wait() }
        let start = processCPUSeconds()
        run.deadline = .now() + seconds
        for _ in 0..<threads { go.signal() }
        finished.wait()
        let elapsed = processCPUSeconds() - start
        if let error = run.failure { throw error }
        return Double(run.count) / elapsed
    }

    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// What the threads of one `measureProcess` share. The deadline is written before the
    /// threads are released (the semaphore orders it) and only read after.
    private final class SharedRun: @unchecked Sendable {
        private let lock = NSLock()
        var deadline = DispatchTime.distantFuture
        private(set) var count = 0
        private(set) var failure: (any Error)?

        var failed: Bool { lock.withLock { failure != nil } }
        func add(_ done: Int) { lock.withLock { count += done } }
        func fail(_ error: any Error) { lock.withLock { failure = failure ?? error } }
    }
}
