import Foundation
import HTTPClient
import TestSupport
import Testing

@Suite struct ConnectionErrorTests {
    @Test func closedPortIsConnectionFailed() throws {
        try withClosedPort { port in
            let error = sendError(CurlHTTPClient(), HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
            guard case .connectionFailed = error else {
                Issue.record("expected .connectionFailed, got \(String(describing: error))")
                return
            }
        }
    }

    @Test(arguments: ["", "not a url", "example.com/no-scheme", "http://", "http://exa mple.com/"])
    func malformedURLsAreInvalid(url: String) {
        let error = sendError(CurlHTTPClient(), HTTPClientRequest(url: url))
        guard case .invalidURL = error else {
            Issue.record("expected .invalidURL for \(url.debugDescription), got \(String(describing: error))")
            return
        }
    }

    /// A C string would silently end at the NUL and fetch a different URL.
    @Test func urlWithNULIsInvalid() {
        let error = sendError(CurlHTTPClient(), HTTPClientRequest(url: "http://example.com/\u{0}.evil"))
        guard case .invalidURL = error else {
            Issue.record("expected .invalidURL, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:70/", "dict://127.0.0.1:11211/"])
    func disallowedSchemesAreRefused(url: String) {
        let error = sendError(CurlHTTPClient(), HTTPClientRequest(url: url))
        guard case .invalidURL = error else {
            Issue.record("expected .invalidURL for \(url), got \(String(describing: error))")
            return
        }
    }

    @Test func httpsOnlyClientRefusesPlainHTTP() throws {
        try withTestServer { server in
            let error = sendError(CurlHTTPClient(allowedSchemes: ["https"]), HTTPClientRequest(url: server.baseURL + "/echo"))
            guard case .invalidURL = error else {
                Issue.record("expected .invalidURL, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func schemeCheckIsCaseInsensitive() throws {
        try withTestServer { server in
            let url = "HTTP://127.0.0.1:\(server.port)/status/200"
            let response = try CurlHTTPClient().send(HTTPClientRequest(url: url))
            #expect(response.status == 200)
        }
    }
}

/// Holds a TCP port bound but not listening, so connecting to it is refused and no other
/// process can take the port while the test runs.
private func withClosedPort(_ body: (Int) throws -> Void) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    try #require(bound)
    try body(Int(UInt16(bigEndian: address.sin_port)))
}
