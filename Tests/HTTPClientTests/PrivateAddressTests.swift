import HTTPClient
import TestSupport
import Testing

/// The SSRF guard end to end: a real server is listening on loopback, yet the guarded
/// client must refuse to connect to it.
@Suite struct PrivateAddressTests {
    @Test func guardedClientRefusesLoopbackLiteral() throws {
        try withTestServer { server in
            let guarded = CurlHTTPClient(blockPrivateAddresses: true)
            #expect(sendError(guarded, HTTPClientRequest(url: server.baseURL + "/echo")) == .refusedAddress("127.0.0.1 in Loopback (RFC 1122)"))
            // Same URL, unguarded client: the server really is there.
            let response = try CurlHTTPClient().send(HTTPClientRequest(url: server.baseURL + "/echo"))
            #expect(response.status == 200)
        }
    }

    /// A host name is judged by what it resolves to, not by how it is spelled.
    @Test func guardedClientRefusesNamesResolvingToLoopback() throws {
        try withTestServer { server in
            let guarded = CurlHTTPClient(blockPrivateAddresses: true)
            let error = sendError(guarded, HTTPClientRequest(url: "http://localhost:\(server.port)/echo"))
            guard case .refusedAddress = error else {
                Issue.record("expected .refusedAddress, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func guardedClientRefusesIPv6LoopbackAndMappedLoopback() {
        let guarded = CurlHTTPClient(blockPrivateAddresses: true)
        // Refusal happens before any connect, so no server is needed.
        for url in ["http://[::1]:9/", "http://[::ffff:127.0.0.1]:9/", "http://0.0.0.0:9/", "http://169.254.169.254/latest/meta-data/"] {
            let error = sendError(guarded, HTTPClientRequest(url: url, timeout: 2))
            guard case .refusedAddress = error else {
                Issue.record("expected .refusedAddress for \(url), got \(String(describing: error))")
                continue
            }
        }
    }
}
