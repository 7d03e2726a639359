import Crypto
import Foundation
import HTTPClient
import Privy
import Testing

/// Which JWK entries are used: only EC P-256 keys for ES256 signatures.
@Suite struct JWKSDocumentTests {
    /// Serves `entries` from a fake fetcher and reports which kids are found.
    private func found(_ entries: [Any], kids: [String]) throws -> [String: Bool] {
        let body = try JSONSerialization.data(withJSONObject: ["keys": entries])
        let jwks = PrivyJWKS(url: "https://privy.invalid/jwks.json", fetcher: FixedFetcher(body: Array(body)))
        var result: [String: Bool] = [:]
        for kid in kids {
            result[kid] = (try? jwks.key(for: kid)) != nil
        }
        return result
    }

    @Test func filtersUnsuitableKeys() throws {
        let good = try PrivyTestTokens(kid: "good")
        let other = try PrivyTestTokens(kid: "x")
        func variant(_ kid: String, _ changes: [String: Any?]) -> JSONObject {
            var jwk = other.jwk
            jwk["kid"] = kid
            for (name, value) in changes { jwk[name] = value }
            return jwk
        }
        let entries: [Any] = [
            good.jwk,
            variant("no-alg-no-use", ["alg": nil, "use": nil]),
            variant("rsa", ["kty": "RSA"]),
            variant("p384", ["crv": "P-384"]),
            variant("es384", ["alg": "ES384"]),
            variant("enc", ["use": "enc"]),
            variant("short-x", ["x": Base64URL.encode([UInt8](repeating: 1, count: 31))]),
            variant("off-curve", ["y": Base64URL.encode([UInt8](repeating: 1, count: 32))]),
            variant("", [:]),
            "not an object",
        ]
        let result = try found(entries, kids: ["good", "no-alg-no-use", "rsa", "p384", "es384", "enc", "short-x", "off-curve", ""])
        #expect(result == [
            "good": true, "no-alg-no-use": true, "rsa": false, "p384": false, "es384": false,
            "enc": false, "short-x": false, "off-curve": false, "": false,
        ])
    }

    @Test func keyWithoutKidInTokenIsUnknown() throws {
        let body = try JSONSerialization.data(withJSONObject: ["keys": [try PrivyTestTokens().jwk]])
        let jwks = PrivyJWKS(url: "https://privy.invalid/jwks.json", fetcher: FixedFetcher(body: Array(body)))
        #expect(throws: PrivyTokenError.unknownKey(nil)) { try jwks.key(for: nil) }
    }

    @Test func requestIsBoundedAndAsksForJSON() throws {
        let fetcher = FixedFetcher(body: Array(#"{"keys":[]}"#.utf8))
        let jwks = PrivyJWKS(url: "https://privy.invalid/jwks.json", fetcher: fetcher, timeout: 1.5)
        #expect(throws: PrivyTokenError.self) { try jwks.key(for: "k") }
        let request = try #require(fetcher.lastRequest)
        #expect(request.method == "GET")
        #expect(request.url == "https://privy.invalid/jwks.json")
        #expect(request.timeout == 1.5)
        #expect(request.maxResponseBytes == 256 * 1024)
        #expect(request.headers.contains { $0.name == "Accept" && $0.value == "application/json" })
    }
}

/// Answers every request with 200 and a fixed body, remembering the last request.
final class FixedFetcher: HTTPFetching, @unchecked Sendable {
    // @unchecked: `last` is only accessed with `lock` held.
    private let body: [UInt8]
    private let lock = NSLock()
    private var last: HTTPClientRequest?

    init(body: [UInt8]) {
        self.body = body
    }

    var lastRequest: HTTPClientRequest? {
        lock.withLock { last }
    }

    func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        lock.withLock { last = request }
        return HTTPClientResponse(status: 200, headers: [:], body: body)
    }
}
