import Foundation
import HTTPClient
import Synchronization
import TestSupport
import Testing

@Suite struct ConcurrencyTests {
    /// Collects what the worker threads saw; a class so @Sendable thread closures can share it.
    private final class Results: Sendable {
        let statuses = Mutex<[Int]>([])
        let errors = Mutex<[HTTPClientError]>([])
    }

    /// The app calls the client from plain worker threads, so exercise exactly that:
    /// eight OS threads, each sending several requests at once.
    @Test func eightThreadsSendConcurrently() throws {
        try withTestServer { server in
            let client = CurlHTTPClient()
            let baseURL = server.baseURL
            let results = Results()
            let threadCount = 8
            let requestsPerThread = 5
            let done = DispatchGroup()

            for index in 0..<threadCount {
                done.enter()
                let thread = Thread {
                    defer { done.leave() }
                    for attempt in 0..<requestsPerThread {
                        let request = HTTPClientRequest(
                            method: "POST",
                            url: baseURL + "/echo",
                            headers: [(name: "X-Thread", value: "\(index)")],
                            body: Array("thread \(index) attempt \(attempt)".utf8)
                        )
                        do throws(HTTPClientError) {
                            let response = try client.send(request)
                            let echoed = String(decoding: response.body, as: UTF8.self)
                            // Each thread must get its own response, not another thread's.
                            let own = echoed.contains("thread \(index) attempt \(attempt)")
                            results.statuses.withLock { $0.append(own ? response.status : -1) }
                        } catch {
                            results.errors.withLock { $0.append(error) }
                        }
                    }
                }
                thread.start()
            }
            #expect(done.wait(timeout: .now() + 60) == .success)

            #expect(results.errors.withLock { $0 } == [])
            let statuses = results.statuses.withLock { $0 }
            #expect(statuses.count == threadCount * requestsPerThread)
            #expect(statuses.allSatisfy { $0 == 200 })
        }
    }
}
