import HTTPMessages
import Routes
import Testing

@Suite struct CGIMessageTests {
    @Test func buildsRequestFromVariables() {
        let request = CGIMessage.request(from: [
            "REQUEST_METHOD": "POST", "REQUEST_URI": "/token?x=1", "QUERY_STRING": "x=1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": "3",
            "HTTP_AUTHORIZATION": "Bearer abc", "HTTP_X_FORWARDED_PROTO": "https", "REMOTE_ADDR": "10.0.0.1",
        ], body: Array("a=b".utf8))
        #expect(request.method == "POST")
        #expect(request.path == "/token")
        #expect(request.queryString == "x=1")
        #expect(request.headers["Authorization"] == "Bearer abc")
        #expect(request.headers["x-forwarded-proto"] == "https")
        #expect(request.mediaType == "application/x-www-form-urlencoded")
        #expect(request.remoteAddress == "10.0.0.1")
        #expect(request.body == Array("a=b".utf8))
    }

    @Test func fallsBackToScriptNameAndPathInfo() {
        let request = CGIMessage.request(from: ["REQUEST_METHOD": "GET", "SCRIPT_NAME": "/app.cgi",
                                                "PATH_INFO": "/health", "QUERY_STRING": "a=1"], body: [])
        #expect(request.path == "/app.cgi/health")
        #expect(request.queryString == "a=1")
    }

    @Test func keepsAPlainRequestIDAndReplacesAForgedOne() {
        let plain = CGIMessage.request(from: ["HTTP_X_REQUEST_ID": "abc-123"], body: [])
        #expect(plain.requestID == "abc-123")
        let forged = CGIMessage.request(from: ["HTTP_X_REQUEST_ID": "a\"}{\"status\":1"], body: [])
        #expect(forged.requestID.count == 16)
    }

    @Test func serializesStatusLineHeadersAndBody() {
        let response = Response(status: 404, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: Array("no".utf8))
        let text = String(decoding: CGIMessage.serialize(response), as: UTF8.self)
        #expect(text == "Status: 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nno")
    }

    @Test func dropsHeadersThatWouldInjectLines() {
        let response = Response(status: 302, headers: HTTPHeaders([("Location", "https://x.test/\r\nSet-Cookie: a=b"), ("X-Ok", "1")]))
        let text = String(decoding: CGIMessage.serialize(response), as: UTF8.self)
        #expect(!text.contains("Set-Cookie"))
        #expect(text.contains("X-Ok: 1"))
    }

    @Test(arguments: [
        (nil, CGIMessage.BodyPlan.read(0)), ("", .read(0)), ("10", .read(10)), ("1024", .read(1024)),
    ] as [(String?, CGIMessage.BodyPlan)])
    func plansBodyReads(_ length: String?, _ plan: CGIMessage.BodyPlan) {
        #expect(CGIMessage.bodyPlan(contentLength: length, maxBodyBytes: 1024) == plan)
    }

    @Test(arguments: ["-1", "1e3", "12abc", "99999999999999999999999"])
    func rejectsMalformedContentLength(_ length: String) {
        guard case .reject(let error) = CGIMessage.bodyPlan(contentLength: length, maxBodyBytes: 1024) else {
            Issue.record("accepted \(length)")
            return
        }
        #expect(error.status == 400)
    }

    @Test func rejectsOversizedBodyWith413() {
        guard case .reject(let error) = CGIMessage.bodyPlan(contentLength: "1025", maxBodyBytes: 1024) else {
            Issue.record("accepted an oversized body")
            return
        }
        #expect(error.status == 413)
    }
}
