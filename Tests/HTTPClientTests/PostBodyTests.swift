import Foundation
import HTTPClient
import TestSupport
import Testing

@Suite struct PostBodyTests {
    private func echo(_ request: HTTPClientRequest) throws -> [String: Any] {
        let response = try CurlHTTPClient().send(request)
        #expect(response.status == 200)
        return try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func postSendsTheBodyVerbatim() throws {
        try withTestServer { server in
            let body = Array(#"{"grant_type":"authorization_code"}"#.utf8)
            let result = try echo(HTTPClientRequest(
                method: "POST",
                url: server.baseURL + "/echo",
                headers: [(name: "Content-Type", value: "application/json")],
                body: body
            ))
            #expect(result["method"] as? String == "POST")
            #expect(result["body"] as? String == #"{"grant_type":"authorization_code"}"#)
            let headers = try #require(result["headers"] as? [String: String])
            #expect(headers["content-type"] == "application/json")
            #expect(headers["content-length"] == String(body.count))
        }
    }

    @Test func largeBodyIsSentWithoutExpectContinue() throws {
        try withTestServer { server in
            let body = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000)
            let result = try echo(HTTPClientRequest(method: "POST", url: server.baseURL + "/echo", body: body))
            #expect((result["body"] as? String)?.utf8.count == body.count)
        }
    }

    @Test func binaryBodyWithNULBytesIsNotTruncated() throws {
        try withTestServer { server in
            let result = try echo(HTTPClientRequest(method: "POST", url: server.baseURL + "/echo", body: [0x61, 0x00, 0x62]))
            #expect(result["body"] as? String == "a\u{0}b")
        }
    }

    @Test func emptyPostAndOtherMethods() throws {
        try withTestServer { server in
            let empty = try echo(HTTPClientRequest(method: "POST", url: server.baseURL + "/echo"))
            #expect(empty["method"] as? String == "POST")
            #expect(empty["body"] as? String == "")

            let put = try echo(HTTPClientRequest(method: "PUT", url: server.baseURL + "/echo", body: Array("v".utf8)))
            #expect(put["method"] as? String == "PUT")
            #expect(put["body"] as? String == "v")

            let delete = try echo(HTTPClientRequest(method: "DELETE", url: server.baseURL + "/echo"))
            #expect(delete["method"] as? String == "DELETE")

            let head = try CurlHTTPClient().send(HTTPClientRequest(method: "HEAD", url: server.baseURL + "/bytes/5000000"))
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }
}
