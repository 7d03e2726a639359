import HTTPClient
import TestSupport
import Testing

@Suite struct TimeoutTests {
    @Test func slowServerTimesOutWithinTheLimit() throws {
        try withTestServer { server in
            let request = HTTPClientRequest(url: server.baseURL + "/sleep/5", timeout: 0.5)
            let clock = ContinuousClock()
            let started = clock.now
            let error = sendError(CurlHTTPClient(), request)
            let elapsed = clock.now - started
            #expect(error == .timedOut)
            // Generous bound: only proves the timeout, not the sleep, ended the call.
            #expect(elapsed < .seconds(3))
        }
    }
}
