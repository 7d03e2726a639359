import Crypto
import Foundation
import HTTPClient
import Privy
import TestSupport
import Testing

/// PrivyJWKS against a local server: caching, rotation, cooldown, expiry and outages.
@Suite struct JWKSTests {
    /// Tokens valid for 30 days from the test clock's start, so advancing the clock to
    /// test cache expiry never expires them.
    private func token(_ tokens: PrivyTestTokens) throws -> String {
        try tokens.token(claims: tokens.claims(lifetime: 30 * 24 * 3600))
    }

    private func setup(
        _ server: PrivyTestServer,
        clock: TestClock,
        cacheLifetime: TimeInterval = 3600,
        unknownKeyCooldown: TimeInterval = 600,
        timeout: Double = 3
    ) -> PrivyTokenVerifier {
        let jwks = PrivyJWKS(
            url: server.jwksURL, fetcher: CurlHTTPClient(), cacheLifetime: cacheLifetime,
            unknownKeyCooldown: unknownKeyCooldown, timeout: timeout, clock: clock.function
        )
        return PrivyTokenVerifier(appID: PrivyTestTokens.appID, keys: jwks, clock: clock.function)
    }

    @Test func defaultURL() {
        #expect(PrivyJWKS.defaultURL(appID: "clabc123") == "https://auth.privy.io/api/v1/apps/clabc123/jwks.json")
        #expect(PrivyJWKS.defaultURL(appID: "a/b?c") == "https://auth.privy.io/api/v1/apps/a%2Fb%3Fc/jwks.json")
    }

    @Test func fetchesOnceThenUsesCache() throws {
        try withPrivyTestServer { server in
            let tokens = try PrivyTestTokens()
            try server.serveKeys([tokens])
            let verifier = setup(server, clock: TestClock())
            #expect(try verifier.verify(token(tokens)).userID == PrivyTestTokens.userID)
            #expect(try server.jwksHits() == 1)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            #expect(try server.jwksHits() == 1)
        }
    }

    @Test func unknownKeyRefetchesOnceAndFindsRotatedKey() throws {
        try withPrivyTestServer { server in
            let clock = TestClock()
            let first = try PrivyTestTokens(kid: "k1")
            let rotated = try PrivyTestTokens(kid: "k2")
            try server.serveKeys([first])
            let verifier = setup(server, clock: clock)
            #expect(throws: Never.self) { try verifier.verify(token(first)) }
            #expect(try server.jwksHits() == 1)

            // Privy publishes a new key: the unknown kid triggers exactly one refetch.
            try server.serveKeys([first, rotated])
            #expect(throws: Never.self) { try verifier.verify(token(rotated)) }
            #expect(try server.jwksHits() == 2)

            // Another unknown kid within the cooldown: refused without asking the server.
            let invented = try PrivyTestTokens(kid: "k3")
            clock.advance(by: 599)
            #expect(verificationError(verifier, try token(invented)) == .unknownKey("k3"))
            #expect(verificationError(verifier, try token(invented)) == .unknownKey("k3"))
            #expect(try server.jwksHits() == 2)
            // Known keys still work meanwhile.
            #expect(throws: Never.self) { try verifier.verify(token(first)) }

            // After the cooldown one more refetch is allowed.
            clock.advance(by: 2)
            #expect(verificationError(verifier, try token(invented)) == .unknownKey("k3"))
            #expect(try server.jwksHits() == 3)
        }
    }

    @Test func refetchesAfterCacheLifetime() throws {
        try withPrivyTestServer { server in
            let clock = TestClock()
            let tokens = try PrivyTestTokens()
            try server.serveKeys([tokens])
            let verifier = setup(server, clock: clock, cacheLifetime: 3600)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            clock.advance(by: 3599)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            #expect(try server.jwksHits() == 1)
            clock.advance(by: 2)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            #expect(try server.jwksHits() == 2)
        }
    }

    /// A key Privy withdrew stops working once the cache is refreshed.
    @Test func withdrawnKeyIsDroppedOnRefresh() throws {
        try withPrivyTestServer { server in
            let clock = TestClock()
            let old = try PrivyTestTokens(kid: "old")
            let new = try PrivyTestTokens(kid: "new")
            try server.serveKeys([old])
            let verifier = setup(server, clock: clock)
            #expect(throws: Never.self) { try verifier.verify(token(old)) }
            try server.serveKeys([new])
            clock.advance(by: 3601)
            #expect(verificationError(verifier, try token(old)) == .unknownKey("old"))
            #expect(throws: Never.self) { try verifier.verify(token(new)) }
        }
    }

    @Test(arguments: ["fail", "badjson", "hang", "nokeys"])
    func serverDownWithoutCache(_ mode: String) throws {
        try withPrivyTestServer { server in
            let tokens = try PrivyTestTokens()
            if mode == "nokeys" {
                try server.configure(["jwks": ["keys": [["kty": "RSA", "kid": "r", "n": "AQAB", "e": "AQAB"]]]])
            } else {
                try server.configure(["jwks": ["keys": [tokens.jwk]], "jwks_mode": mode])
            }
            let verifier = setup(server, clock: TestClock(), timeout: 0.5)
            let started = Date()
            guard case .keysUnavailable = verificationError(verifier, try token(tokens)) else {
                Issue.record("expected keysUnavailable for \(mode)")
                return
            }
            #expect(Date().timeIntervalSince(started) < 2.5)
        }
    }

    @Test func connectionRefusedWithoutCache() throws {
        let (url, tokens) = try withPrivyTestServer { server in (server.jwksURL, try PrivyTestTokens()) }
        let jwks = PrivyJWKS(url: url, fetcher: CurlHTTPClient(), timeout: 1)
        let verifier = PrivyTokenVerifier(appID: PrivyTestTokens.appID, keys: jwks, clock: { PrivyTestTokens.now })
        guard case .keysUnavailable = verificationError(verifier, try tokens.token()) else {
            Issue.record("expected keysUnavailable")
            return
        }
    }

    @Test func serverDownWithCacheKeepsServingKnownKeys() throws {
        try withPrivyTestServer { server in
            let clock = TestClock()
            let tokens = try PrivyTestTokens()
            try server.serveKeys([tokens])
            let verifier = setup(server, clock: clock, timeout: 0.5)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }

            try server.configure(["jwks_mode": "fail"])
            clock.advance(by: 3601)  // cache expired: the refresh fails, the old set stays
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            #expect(try server.jwksHits() == 2)
            #expect(verificationError(verifier, try token(PrivyTestTokens(kid: "unknown"))) == .unknownKey("unknown"))

            // An unreachable server (hang) is no different.
            try server.configure(["jwks_mode": "hang"])
            clock.advance(by: 3600)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }

            // After 24 cache lifetimes without a successful fetch the set is no longer used.
            try server.configure(["jwks_mode": "fail"])
            clock.advance(by: 22 * 3600 + 1)
            guard case .keysUnavailable = verificationError(verifier, try token(tokens)) else {
                Issue.record("expected keysUnavailable once the cache is too old")
                return
            }

            // Privy back: everything recovers (after the short retry pause).
            try server.serveKeys([tokens])
            clock.advance(by: 6)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
        }
    }

    /// After a failure the network is not retried on every request.
    @Test func failuresAreNotRetriedImmediately() throws {
        try withPrivyTestServer { server in
            let clock = TestClock()
            let tokens = try PrivyTestTokens()
            try server.configure(["jwks": ["keys": [tokens.jwk]], "jwks_mode": "fail"])
            let verifier = setup(server, clock: clock)
            for _ in 0..<5 {
                #expect(verificationError(verifier, try token(tokens)) != nil)
            }
            #expect(try server.jwksHits() == 1)
            try server.configure(["jwks_mode": "ok"])
            clock.advance(by: 5)
            #expect(throws: Never.self) { try verifier.verify(token(tokens)) }
            #expect(try server.jwksHits() == 2)
        }
    }

    /// Many threads on a cold cache cause one fetch; the others use its result.
    @Test func concurrentColdStartFetchesOnce() throws {
        try withPrivyTestServer { server in
            let tokens = try PrivyTestTokens()
            try server.serveKeys([tokens])
            try server.configure(["jwks_mode": "slow"])
            let verifier = setup(server, clock: TestClock())
            let token = try token(tokens)
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                if verificationError(verifier, token) != nil { failures.add() }
            }
            #expect(failures.count == 0)
            #expect(try server.jwksHits() == 1)
        }
    }
}

private final class Failures: @unchecked Sendable {
    // @unchecked: `value` is only accessed with `lock` held.
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
