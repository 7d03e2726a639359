import Crypto
import Foundation
@testable import OAuth
import Storage
import Testing

/// Every comparison of a redirect URI, client id, scope or resource, each with a pair that Swift's
/// `==` calls equal and bytes do not: "K" and U+212A KELVIN SIGN (canonically equivalent). A
/// server or a database comparing bytes sees two values; so must we (RFC 9700 §4.1.3).
@Suite struct ByteExactComparisonTests {
    static let kelvin = "\u{212A}"

    /// The error an authorization request is sent back to its client with, or nil when it
    /// passes or is refused without a redirect.
    func redirectedError(_ fixture: Fixture, _ pairs: [(name: String, value: String)]) -> OAuthError.Code? {
        do {
            _ = try fixture.server.authorizationValidator.validate(pairs)
            return nil
        } catch {
            guard case .redirect(let error, _, _) = error else { return nil }
            return error.code
        }
    }

    /// A live refresh token of `clientID`, stored as an imported grant; returns its value and grant.
    @discardableResult
    func storedRefreshToken(_ fixture: Fixture, clientID: String, scopes: [String] = ["read"]) throws -> (raw: String, grantID: String) {
        let raw = SecureRandom.token()
        let grant = Grant(id: "grant-" + raw.prefix(8), clientID: clientID, userID: "did:privy:a", scopes: scopes,
                          resource: "https://app.example.com/mcp", privyAccessToken: "user:did:privy:a", createdAt: fixture.now)
        _ = try fixture.store.importGrant(grant, refreshToken: RefreshToken(
            tokenHash: SHA256.hexHash(raw), grantID: grant.id, clientID: clientID, userID: grant.userID, scopes: scopes,
            expiresAt: fixture.now + 3600, createdAt: fixture.now))
        return (raw, grant.id)
    }

    /// A client whose redirect URI ends in "K", and its Kelvin twin.
    func kelvinClient(_ fixture: Fixture) throws -> (id: String, redirectURI: String) {
        let registered = try fixture.server.registration.register(metadata: ["redirect_uris": ["https://client.example/K"]])
        return (registered.client_id, "https://client.example/K")
    }

    @Test func codeExchangeRedirectURI() throws {
        let fixture = Fixture()
        let client = try kelvinClient(fixture)
        let (verifier, challenge) = Fixture.pkce()
        var pairs = fixture.authorizePairs(challenge: challenge, ["client_id": client.id, "redirect_uri": client.redirectURI])
        pairs.removeAll { $0.name == "resource" }
        let request = try fixture.server.authorizationValidator.validate(pairs)
        let code = try #require(try fixture.server.completion.approve(request, login: .init(privyToken: "user:did:privy:a"),
                                                                       now: fixture.now).code)
        let twin = "https://client.example/" + Self.kelvin
        #expect(twin == client.redirectURI)  // what `==` would have accepted
        #expect(oauthError {
            _ = try fixture.exchange(code, verifier: verifier, ["client_id": client.id, "redirect_uri": twin])
        } == .invalidGrant)
    }

    @Test func authorizeRedirectURI() throws {
        let fixture = Fixture()
        let client = try kelvinClient(fixture)
        let pairs = fixture.authorizePairs(challenge: Fixture.pkce().challenge,
                                           ["client_id": client.id, "redirect_uri": "https://client.example/" + Self.kelvin])
        #expect(throws: AuthorizationFailure.self) { try fixture.server.authorizationValidator.validate(pairs) }
    }

    /// Client ids: the store finds no client under the twin of a registered id, so neither the
    /// token endpoint nor the authorization step can act for it.
    @Test func clientID() throws {
        let fixture = Fixture()
        try fixture.store.saveClient(OAuthClient(id: "client-K", name: nil, redirectURIs: [Fixture.redirectURI], origin: .registered))
        #expect(try fixture.store.client(id: "client-" + Self.kelvin) == nil)
        let (code, verifier) = try fixture.code()
        #expect(oauthError { _ = try fixture.exchange(code, verifier: verifier, ["client_id": "client-" + Self.kelvin]) }
                == .invalidClient)
    }

    /// RFC 6749 §6: the scope of a refresh may shrink, never change into another scope.
    @Test func refreshScope() throws {
        let fixture = Fixture()
        let raw = try storedRefreshToken(fixture, clientID: fixture.clientID, scopes: ["read", "scope-K"]).raw
        #expect(oauthError { _ = try fixture.refresh(raw, ["scope": "read scope-" + Self.kelvin]) } == .invalidScope)
        #expect(try fixture.refresh(raw, ["scope": "read scope-K"]).scope == "read scope-K")
    }

    /// RFC 8707: a resource is ours only byte for byte, at the authorization step, at the code
    /// exchange and in an access token's `aud`.
    @Test func resource() throws {
        let fixture = Fixture(issuer: "https://app.example/K")
        let twin = "https://app.example/" + Self.kelvin + "/mcp"
        #expect(redirectedError(fixture, fixture.authorizePairs(challenge: Fixture.pkce().challenge, ["resource": twin]))
                == .invalidTarget)

        let (code, verifier) = try fixture.code()
        #expect(oauthError { _ = try fixture.exchange(code, verifier: verifier, ["resource": twin]) } == .invalidTarget)

        let grant = Grant(id: "g", clientID: fixture.clientID, userID: "did:privy:a", scopes: ["read"], resource: twin,
                          privyAccessToken: "p", createdAt: fixture.now)
        let accessTokens = AccessTokens(keys: SigningKeys(signingKey: Fixture.key), settings: fixture.server.settings)
        let (token, _) = try accessTokens.sign(grant: grant, scopes: ["read"], jti: "j", now: fixture.now)
        #expect(throws: AccessTokenProblem.wrongAudience) { try accessTokens.verify(token, now: fixture.now).get() }
    }

    /// Only the clients PRIVY_EXCHANGE_CLIENTS names may ask for the exchange scope.
    @Test func exchangeClient() throws {
        let fixture = Fixture(exchangeClients: ["client-K"])
        let twin = "client-" + Self.kelvin
        try fixture.store.saveClient(OAuthClient(id: twin, name: nil, redirectURIs: [Fixture.redirectURI], origin: .registered))
        let pairs = fixture.authorizePairs(challenge: Fixture.pkce().challenge, ["client_id": twin, "scope": "read privy:token:exchange"])
        #expect(redirectedError(fixture, pairs) == .invalidScope)
        // The allowed client itself may.
        try fixture.store.saveClient(OAuthClient(id: "client-K", name: nil, redirectURIs: [Fixture.redirectURI], origin: .registered))
        #expect(try fixture.server.authorizationValidator.validate(fixture.authorizePairs(
            challenge: Fixture.pkce().challenge, ["client_id": "client-K", "scope": "read privy:token:exchange"])).scopes.count == 2)
    }

    /// RFC 7009 §2.1: only the client a token was issued to may revoke it.
    @Test func revocationClientID() throws {
        let fixture = Fixture()
        let twin = "client-" + Self.kelvin
        try fixture.store.saveClient(OAuthClient(id: "client-K", name: nil, redirectURIs: [Fixture.redirectURI], origin: .registered))
        let (raw, grantID) = try storedRefreshToken(fixture, clientID: "client-K")
        #expect(oauthError {
            try fixture.server.revocation.revoke(OAuthParameters(["token": raw, "client_id": twin]), now: fixture.now)
        } == .unauthorizedClient)
        #expect(try fixture.store.grant(id: grantID)?.revokedAt == nil)
        try fixture.server.revocation.revoke(OAuthParameters(["token": raw, "client_id": "client-K"]), now: fixture.now)
        #expect(try fixture.store.grant(id: grantID)?.revokedAt == fixture.now)
    }

    /// RFC 7662 §2.1 as we apply it: a caller learns only about tokens of its own client.
    @Test func introspectionClientID() throws {
        let fixture = Fixture()
        let raw = try storedRefreshToken(fixture, clientID: "client-K").raw
        func caller(_ clientID: String) -> Caller {
            Caller(userID: "did:privy:a", clientID: clientID, scopes: ["read"], grantID: "other", jti: "j",
                   resource: "https://app.example.com/mcp", privyAccessToken: "p")
        }
        let twin = try fixture.server.introspection.introspect(OAuthParameters(["token": raw]), caller: caller("client-" + Self.kelvin),
                                                               now: fixture.now)
        #expect(twin.active == false)
        let own = try fixture.server.introspection.introspect(OAuthParameters(["token": raw]), caller: caller("client-K"), now: fixture.now)
        #expect(own.active == true)
    }
}
