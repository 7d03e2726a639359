import Foundation
import HTTPClient
import TestSupport
import Testing

@Suite struct GetAndHeadersTests {
    @Test func getSendsHeadersAndReadsJSONBack() throws {
        try withTestServer { server in
            let request = HTTPClientRequest(
                url: server.baseURL + "/echo",
                headers: [(name: "X-Test", value: "hello"), (name: "Accept", value: "application/json")]
            )
            let response = try CurlHTTPClient().send(request)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("content-type") == "application/json")
            #expect(response.headers["content-type"] == "application/json")

            let echo = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(echo["method"] as? String == "GET")
            #expect(echo["path"] as? String == "/echo")
            let headers = try #require(echo["headers"] as? [String: String])
            #expect(headers["x-test"] == "hello")
            #expect(headers["accept"] == "application/json")
            // curl's automatic Expect: 100-continue is always suppressed.
            #expect(headers["expect"] == nil)
        }
    }

    @Test func repeatedResponseHeadersAreJoined() throws {
        try withTestServer { server in
            let response = try CurlHTTPClient().send(HTTPClientRequest(url: server.baseURL + "/multi"))
            #expect(response.header("X-Multi") == "a, b")
        }
    }

    @Test func headerValuesWithLineBreaksAreRefused() throws {
        try withTestServer { server in
            let request = HTTPClientRequest(
                url: server.baseURL + "/echo",
                headers: [(name: "X-Test", value: "a\r\nX-Injected: yes")]
            )
            guard case .transferFailed = sendError(CurlHTTPClient(), request) else {
                Issue.record("expected .transferFailed")
                return
            }
        }
    }
}
