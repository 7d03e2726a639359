import HTTPClient
import TestSupport
import Testing

@Suite struct StatusAndRedirectTests {
    @Test(arguments: [201, 204, 400, 401, 404, 500, 503])
    func nonOKStatusesAreResponsesNotErrors(status: Int) throws {
        try withTestServer { server in
            let response = try CurlHTTPClient().send(HTTPClientRequest(url: server.baseURL + "/status/\(status)"))
            #expect(response.status == status)
            if status != 204 {
                #expect(response.body == Array("status \(status)".utf8))
            }
        }
    }

    @Test func redirectIsReturnedNotFollowed() throws {
        try withTestServer { server in
            let response = try CurlHTTPClient().send(HTTPClientRequest(url: server.baseURL + "/redirect"))
            #expect(response.status == 302)
            #expect(response.header("Location") == "/echo")
            #expect(response.body == Array("moved".utf8))
        }
    }
}
