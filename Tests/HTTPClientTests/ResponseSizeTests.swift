import HTTPClient
import TestSupport
import Testing

@Suite struct ResponseSizeTests {
    @Test func bodyExactlyAtTheCapIsAccepted() throws {
        try withTestServer { server in
            let request = HTTPClientRequest(url: server.baseURL + "/stream/1000", maxResponseBytes: 1000)
            let response = try CurlHTTPClient().send(request)
            #expect(response.body.count == 1000)
        }
    }

    /// Content-Length announces too much: rejected before the body is read.
    @Test func announcedOversizeBodyIsRefused() throws {
        try withTestServer { server in
            let request = HTTPClientRequest(url: server.baseURL + "/bytes/5000", maxResponseBytes: 1000)
            #expect(sendError(CurlHTTPClient(), request) == .responseTooLarge)
        }
    }

    /// No Content-Length: the write callback aborts once the cap is crossed.
    @Test func unannouncedOversizeBodyIsAbortedMidStream() throws {
        try withTestServer { server in
            let request = HTTPClientRequest(url: server.baseURL + "/stream/3000000", maxResponseBytes: 1 << 20)
            #expect(sendError(CurlHTTPClient(), request) == .responseTooLarge)
        }
    }
}
