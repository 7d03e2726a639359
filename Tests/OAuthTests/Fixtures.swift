import Crypto
import Foundation
import OAuth
import Storage
import Testing

/// Accepts tokens of the form "user:<did>"; "down" means the provider is unreachable.
struct FakeIdentity: IdentityVerifier {
    func verify(token: String) throws(IdentityError) -> VerifiedIdentity {
        if token == "down" { throw .unavailable("keys unreachable") }
        guard token.hasPrefix("user:") else { throw .invalid("signature does not verify") }
        return VerifiedIdentity(userID: String(token.dropFirst(5)))
    }
}

/// A server over a fresh memory store with one registered client.
struct Fixture {
    static let key = try! RSAPrivateKey.generate()
    static let issuer = "https://app.example.com"
    static let redirectURI = "https://client.example/callback"
    /// The app's scopes as a manifest declares them (the items example's), in consent order.
    static let appScopes = [AppScope(name: "read", consent: "See your items"),
                            AppScope(name: "write", consent: "Change your items")]

    let store = MemoryStore()
    let server: OAuthServer
    let clientID: String
    var now = Date(timeIntervalSince1970: 1_800_000_000)

    init(issuer: String = Fixture.issuer, exchangeClients: Set<String> = []) {
        server = OAuthServer(settings: OAuthSettings(issuer: issuer, appScopes: Self.appScopes, exchangeClients: exchangeClients), store: store,
                             keys: SigningKeys(signingKey: Self.key), identity: FakeIdentity(), clientMetadataDocuments: nil)
        try! server.registerBuiltInClients()
        clientID = try! server.registration.register(metadata: ["redirect_uris": [Self.redirectURI], "client_name": "Test"]).client_id
    }

    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = SecureRandom.token(byteCount: 40)
        return (verifier, Base64URL.encode(SHA256.hash(Array(verifier.utf8))))
    }

    func authorizePairs(challenge: String, _ changes: [String: String?] = [:]) -> [(name: String, value: String)] {
        var values: [String: String] = ["response_type": "code", "client_id": clientID, "redirect_uri": Self.redirectURI,
                                        "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256"]
        for (name, value) in changes { values[name] = value }
        return values.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// Authorize + consent; returns the code and its verifier.
    func code(user: String = "did:privy:alice", scope: String? = nil) throws -> (code: String, verifier: String) {
        let (verifier, challenge) = Self.pkce()
        var changes: [String: String?] = [:]
        if let scope { changes["scope"] = scope }
        let request = try server.authorizationValidator.validate(authorizePairs(challenge: challenge, changes))
        let outcome = try server.completion.approve(request, login: .init(privyToken: "user:" + user), now: now)
        return (try #require(outcome.code), verifier)
    }

    func exchange(_ code: String, verifier: String, _ extra: [String: String] = [:]) throws(OAuthError) -> TokenResponse {
        var values = ["grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": clientID,
                      "redirect_uri": Self.redirectURI]
        values.merge(extra) { $1 }
        return try server.tokenEndpoint.exchange(OAuthParameters(values), now: now)
    }

    func refresh(_ token: String, _ extra: [String: String] = [:]) throws(OAuthError) -> TokenResponse {
        var values = ["grant_type": "refresh_token", "refresh_token": token, "client_id": clientID]
        values.merge(extra) { $1 }
        return try server.tokenEndpoint.exchange(OAuthParameters(values), now: now)
    }
}

func oauthError(_ body: () throws -> Void) -> OAuthError.Code? { caughtOAuthError(body)?.code }

func oauthDescription(_ body: () throws -> Void) -> String? { caughtOAuthError(body)?.description }

func caughtOAuthError(_ body: () throws -> Void) -> OAuthError? {
    do {
        try body()
        return nil
    } catch let error as OAuthError {
        return error
    } catch {
        return nil
    }
}
