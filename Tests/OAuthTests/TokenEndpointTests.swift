import Crypto
import Foundation
@testable import OAuth
import Storage
import Testing

@Suite struct TokenEndpointTests {
    @Test func codeExchangeIssuesBoundTokens() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        #expect(tokens.token_type == "Bearer")
        #expect(tokens.expires_in == 3600)
        #expect(tokens.scope == "read write offline_access")
        let context = try fixture.server.bearer.authenticate(authorization: "Bearer " + tokens.access_token, now: fixture.now).get()
        #expect(context.userID == "did:privy:alice")
        #expect(context.clientID == fixture.clientID)
        #expect(context.privyAccessToken == "user:did:privy:alice")
        #expect(context.resource == "https://app.example.com/mcp")
    }

    @Test func codeReplayRevokesWhatItIssued() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        #expect(oauthError { _ = try fixture.exchange(code, verifier: verifier) } == .invalidGrant)
        #expect(oauthError { _ = try fixture.refresh(tokens.refresh_token!) } == .invalidGrant)
        #expect(throws: BearerProblem.self) {
            try fixture.server.bearer.authenticate(authorization: "Bearer " + tokens.access_token, now: fixture.now).get()
        }
    }

    @Test(arguments: [
        (["code_verifier": String(repeating: "a", count: 43)], OAuthError.Code.invalidGrant),
        (["code_verifier": "short"], .invalidGrant),
        (["redirect_uri": "https://client.example/other"], .invalidGrant),
        (["resource": "https://elsewhere.example"], .invalidTarget),
        (["grant_type": "password"], .unsupportedGrantType),
        (["client_id": "chatgpt-connector"], .invalidGrant),
        (["client_id": "nobody"], .invalidClient),
    ] as [([String: String], OAuthError.Code)])
    func codeExchangeChecksEveryBinding(_ change: [String: String], _ expected: OAuthError.Code) throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        #expect(oauthError { _ = try fixture.exchange(code, verifier: verifier, change) } == expected)
    }

    @Test func expiredCodeIsInvalid() throws {
        var fixture = Fixture()
        let (code, verifier) = try fixture.code()
        fixture.now = fixture.now.addingTimeInterval(61)
        #expect(oauthError { _ = try fixture.exchange(code, verifier: verifier) } == .invalidGrant)
    }

    /// After the reuse interval (5 s by default), a used token presented again revokes the family.
    @Test func refreshRotatesAndReuseRevokesTheFamily() throws {
        var fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let first = try fixture.exchange(code, verifier: verifier)
        let second = try fixture.refresh(first.refresh_token!)
        #expect(second.refresh_token != first.refresh_token)
        fixture.now = fixture.now.addingTimeInterval(6)
        #expect(oauthError { _ = try fixture.refresh(first.refresh_token!) } == .invalidGrant)
        #expect(oauthError { _ = try fixture.refresh(second.refresh_token!) } == .invalidGrant)
    }

    /// Within the reuse interval, a retry with the same token gets new tokens and every refresh
    /// token issued keeps working: a lost answer does not log the user out.
    @Test func aRetryWithinTheReuseIntervalKeepsTheGrant() throws {
        var fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let first = try fixture.exchange(code, verifier: verifier)
        let second = try fixture.refresh(first.refresh_token!)
        fixture.now = fixture.now.addingTimeInterval(4)
        let retried = try fixture.refresh(first.refresh_token!)
        #expect(retried.refresh_token != second.refresh_token)
        #expect(try fixture.refresh(second.refresh_token!).refresh_token != nil)
        #expect(try fixture.refresh(retried.refresh_token!).refresh_token != nil)
    }

    @Test func refreshMayNarrowButNeverWidenScope() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code(scope: "read offline_access")
        let tokens = try fixture.exchange(code, verifier: verifier)
        #expect(oauthError { _ = try fixture.refresh(tokens.refresh_token!, ["scope": "read write"]) } == .invalidScope)
        let narrowed = try fixture.refresh(tokens.refresh_token!, ["scope": "read"])
        #expect(narrowed.scope == "read")
        // The refresh token keeps the original scope (RFC 6749 §6).
        #expect(try fixture.refresh(narrowed.refresh_token!).scope == "read offline_access")
    }

    @Test func refreshTokenOfAnotherClientIsRejectedWithoutBurningIt() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        #expect(oauthError { _ = try fixture.refresh(tokens.refresh_token!, ["client_id": "chatgpt-connector"]) } == .invalidGrant)
        #expect(try fixture.refresh(tokens.refresh_token!).access_token.isEmpty == false)
    }

    @Test func refreshTokensAreStoredOnlyAsHashes() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        #expect(try fixture.store.refreshToken(hash: tokens.refresh_token!) == nil)
        #expect(try fixture.store.refreshToken(hash: SHA256.hexHash(tokens.refresh_token!)) != nil)
    }

    @Test func revokingARefreshTokenRevokesItsAccessTokens() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        try fixture.server.revocation.revoke(OAuthParameters(["token": tokens.refresh_token!, "client_id": fixture.clientID]),
                                             now: fixture.now)
        #expect(throws: BearerProblem.self) {
            try fixture.server.bearer.authenticate(authorization: "Bearer " + tokens.access_token, now: fixture.now).get()
        }
    }

    @Test func revokingAnAccessTokenClosesOnlyThatSession() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        try fixture.server.revocation.revoke(OAuthParameters(["token": tokens.access_token, "client_id": fixture.clientID]),
                                             now: fixture.now)
        #expect(throws: BearerProblem.self) {
            try fixture.server.bearer.authenticate(authorization: "Bearer " + tokens.access_token, now: fixture.now).get()
        }
        #expect(try fixture.refresh(tokens.refresh_token!).token_type == "Bearer")
    }

    @Test func loginProblemsMapToClearErrors() throws {
        let fixture = Fixture()
        let request = try fixture.server.authorizationValidator.validate(fixture.authorizePairs(challenge: Fixture.pkce().challenge))
        let forged = oauthError { _ = try fixture.server.completion.approve(request, login: .init(privyToken: "forged")) }
        #expect(forged == .invalidToken)
        let down = oauthError { _ = try fixture.server.completion.approve(request, login: .init(privyToken: "down")) }
        #expect(down == .temporarilyUnavailable)
        // The original system's answer to a privy_user_id naming someone else: a malformed request.
        let mismatch = oauthError {
            _ = try fixture.server.completion.approve(request, login: .init(privyToken: "user:did:privy:a", claimedUserID: "did:privy:b"))
        }
        #expect(mismatch == .invalidRequest)
        let denied = fixture.server.completion.deny(request)
        #expect(denied.code == nil)
        #expect(denied.redirectURI.hasPrefix(Fixture.redirectURI + "?error=access_denied&"))
        #expect(denied.redirectURI.hasSuffix("&state=xyz&iss=https%3A%2F%2Fapp.example.com"))
    }

    /// The original system's `fallback_token`: tried only when `privy_token` fails, and the code's
    /// grant keeps whichever token verified (tools call the user's API with it).
    @Test func fallbackTokenIsTriedOnlyWhenThePrivyTokenFails() throws {
        let fixture = Fixture()
        let pkce = Fixture.pkce()
        let request = try fixture.server.authorizationValidator.validate(fixture.authorizePairs(challenge: pkce.challenge))
        let cases: [(name: String, login: AuthorizationCompletion.Login, boundTo: String?, error: OAuthError.Code?)] = [
            ("first verifies", .init(privyToken: "user:did:privy:a", fallbackToken: "user:did:privy:b"), "user:did:privy:a", nil),
            ("first refused, fallback verifies", .init(privyToken: "forged", fallbackToken: "user:did:privy:b"), "user:did:privy:b", nil),
            ("both refused", .init(privyToken: "forged", fallbackToken: "forged"), nil, .invalidToken),
            ("first refused, fallback not judged", .init(privyToken: "forged", fallbackToken: "down"), nil, .temporarilyUnavailable),
            ("claimed user is the fallback's", .init(privyToken: "forged", fallbackToken: "user:did:privy:b",
                                                     claimedUserID: "did:privy:b"), "user:did:privy:b", nil),
            ("claimed user is not the verified one", .init(privyToken: "forged", fallbackToken: "user:did:privy:b",
                                                           claimedUserID: "did:privy:a"), nil, .invalidRequest),
        ]
        for testCase in cases {
            guard let boundTo = testCase.boundTo else {
                #expect(oauthError { _ = try fixture.server.completion.approve(request, login: testCase.login) } == testCase.error,
                        "\(testCase.name)")
                continue
            }
            let outcome = try fixture.server.completion.approve(request, login: testCase.login, now: fixture.now)
            let tokens = try fixture.exchange(try #require(outcome.code), verifier: pkce.verifier)
            let caller = try fixture.server.bearer.authenticate(authorization: "Bearer " + tokens.access_token, now: fixture.now).get()
            #expect(caller.privyAccessToken == boundTo, "\(testCase.name)")
        }
    }
}

@Suite struct AccessTokenTests {
    @Test func tamperedAndForeignTokensAreRejected() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let token = try fixture.exchange(code, verifier: verifier).access_token
        let parts = token.split(separator: ".").map(String.init)
        let noneHeader = Base64URL.encode(#"{"alg":"none","typ":"JWT"}"#)
        let otherKey = try RSAPrivateKey.generate()
        let foreign = SigningKeys(signingKey: otherKey)
        let foreignTokens = AccessTokens(keys: foreign, settings: OAuthSettings(issuer: Fixture.issuer, appScopes: Fixture.appScopes))
        let grant = Grant(id: "g", clientID: fixture.clientID, userID: "did:privy:mallory", scopes: ["read"],
                          resource: "https://app.example.com/mcp", privyAccessToken: "x", createdAt: fixture.now)
        let forged = try foreignTokens.sign(grant: grant, scopes: ["read"], jti: "j", now: fixture.now).token
        let cases = [
            "", "Bearer", parts[0] + "." + parts[1] + ".", noneHeader + "." + parts[1] + ".", forged,
            parts[0] + "." + Base64URL.encode(#"{"sub":"x"}"#) + "." + parts[2],
        ]
        for candidate in cases {
            let result = fixture.server.bearer.authenticate(authorization: "Bearer " + candidate, now: fixture.now)
            guard case .failure = result else {
                Issue.record("accepted \(candidate.prefix(20))")
                continue
            }
        }
        #expect(fixture.server.bearer.authenticate(authorization: nil) == .failure(.missing))
        #expect(fixture.server.bearer.authenticate(authorization: "Basic abc") == .failure(.missing))
    }

    @Test func expiredTokensAreRejected() throws {
        var fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let token = try fixture.exchange(code, verifier: verifier).access_token
        fixture.now = fixture.now.addingTimeInterval(3601)
        #expect(fixture.server.bearer.authenticate(authorization: "Bearer " + token, now: fixture.now)
            == .failure(.invalid(AccessTokenProblem.expired.rawValue)))
    }

    @Test func aVerifiedTokenStillExpiresAndCanBeRevoked() throws {
        var fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let tokens = try fixture.exchange(code, verifier: verifier)
        let header = "Bearer " + tokens.access_token
        // Twice: the second answer comes from the verified-token cache.
        for _ in 0..<2 { _ = try fixture.server.bearer.authenticate(authorization: header, now: fixture.now).get() }
        fixture.now = fixture.now.addingTimeInterval(3601)
        #expect(fixture.server.bearer.authenticate(authorization: header, now: fixture.now)
            == .failure(.invalid(AccessTokenProblem.expired.rawValue)))

        fixture.now = fixture.now.addingTimeInterval(-3601)
        _ = try fixture.server.bearer.authenticate(authorization: header, now: fixture.now).get()
        try fixture.server.revocation.revoke(OAuthParameters(["token": tokens.access_token, "client_id": fixture.clientID]),
                                             now: fixture.now)
        #expect(fixture.server.bearer.authenticate(authorization: header, now: fixture.now)
            == .failure(.invalid(AccessTokenProblem.revoked.rawValue)))
    }

    @Test func aVerifiedTokenAlteredByOneCharacterIsCheckedAgain() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code()
        let token = try fixture.exchange(code, verifier: verifier).access_token
        _ = try fixture.server.bearer.authenticate(authorization: "Bearer " + token, now: fixture.now).get()
        // A character well inside the signature: every one of its bits is significant.
        var characters = Array(token)
        let inside = characters.count - 20
        characters[inside] = characters[inside] == "A" ? "B" : "A"
        let altered = String(characters)
        #expect(fixture.server.bearer.authenticate(authorization: "Bearer " + altered, now: fixture.now)
            == .failure(.invalid(AccessTokenProblem.badSignature.rawValue)))
    }

    @Test func theVerifiedTokenCacheStaysWithinItsCapacity() {
        let cache = VerifiedTokenCache(capacity: 3)
        func claims(_ jti: String, expiresAt: Int) -> AccessTokenClaims {
            AccessTokenClaims(issuer: "i", subject: "s", audience: "a", clientID: "c", scopes: ["read"], jti: jti,
                              issuedAt: 0, expiresAt: expiresAt)
        }
        cache.insert(claims("old", expiresAt: 50), for: "old", now: 10)
        cache.insert(claims("b", expiresAt: 500), for: "b", now: 10)
        cache.insert(claims("c", expiresAt: 500), for: "c", now: 10)
        // Full: the expired entry goes first, the live ones stay.
        cache.insert(claims("d", expiresAt: 500), for: "d", now: 100)
        #expect(cache.count == 3)
        #expect(cache.claims(for: "old", now: 100) == nil)
        #expect(cache.claims(for: "b", now: 100)?.jti == "b")
        // Full of live entries: dropped wholesale, never grown past the capacity.
        cache.insert(claims("e", expiresAt: 500), for: "e", now: 100)
        #expect(cache.count == 1)
        #expect(cache.claims(for: "e", now: 100)?.jti == "e")
        #expect(cache.claims(for: "e", now: 500) == nil)
    }

    @Test func jwksPublishesTheCurrentAndPreviousKeys() throws {
        let previous = try RSAPrivateKey.generate()
        let keys = SigningKeys(signingKey: Fixture.key, previousPublicKeys: [previous.publicKey])
        #expect(keys.jwks.count == 2)
        #expect(keys.jwks[0]["kid"] == keys.keyID)
        #expect(keys.jwks.allSatisfy { $0["use"] == "sig" && $0["alg"] == "RS256" && $0["kty"] == "RSA" })
        #expect(keys.verificationKey(id: previous.publicKey.thumbprint()) != nil)
    }
}

@Suite struct RegistrationTests {
    @Test func secretMethodsAreReplacedByNone() throws {
        let fixture = Fixture()
        let registered = try fixture.server.registration.register(metadata: [
            "redirect_uris": ["https://x.example/cb"], "token_endpoint_auth_method": "client_secret_post",
        ])
        #expect(registered.token_endpoint_auth_method == "none")
    }

    @Test(arguments: [
        (["redirect_uris": "https://x.example/cb"], OAuthError.Code.invalidRedirectURI),
        (["redirect_uris": [1]], .invalidRedirectURI),
        (["redirect_uris": ["https://x.example/cb"], "grant_types": ["refresh_token"]], .invalidClientMetadata),
        (["redirect_uris": ["https://x.example/cb"], "client_name": 5], .invalidClientMetadata),
    ] as [([String: any Sendable], OAuthError.Code)])
    func invalidMetadataIsRefused(_ metadata: [String: any Sendable], _ code: OAuthError.Code) {
        let fixture = Fixture()
        #expect(oauthError { _ = try fixture.server.registration.register(metadata: metadata) } == code)
    }
}
