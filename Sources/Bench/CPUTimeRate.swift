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
