import Crypto
import Foundation
import OAuth
import Storage

/// Token issuance on one thread: signing an RS256 access token alone, and a whole refresh grant
/// through the token endpoint (lookup, rotation, session record, signing) on the memory store,
/// beside the raw RSA-2048 sign rate `openssl speed` measures on the same machine. Signing
/// dominates, so the ratio shows what the OAuth bookkeeping costs on top (target: >= 0.70).
struct TokenBenchmark {
    static let duration: TimeInterval = 2

    static func run() {
        do {
            let (signing, refresh) = try measure()
            print("token-sign: \(Int(signing)) access tokens/s")
            print("token-refresh-grant: \(Int(refresh)) refresh grants/s (memory store)")
            guard let reference = OpenSSLSpeed.rsa2048SignsPerSecond(seconds: Int(duration)) else {
                print("reference openssl rsa2048 sign: unavailable (openssl speed did not run)")
                return
            }
            print("reference openssl rsa2048 sign: \(Int(reference))/s")
            print("token-sign / openssl sign: \(String(format: "%.2f", signing / reference)); "
                + "token-refresh-grant / openssl sign: \(String(format: "%.2f", refresh / reference))")
        } catch {
            print("token: failed: \(error)")
        }
    }

    private static func measure() throws -> (signing: Double, refresh: Double) {
        let store = MemoryStore()
        let settings = OAuthSettings(issuer: "https://bench.example")
        let server = OAuthServer(settings: settings, store: store, keys: SigningKeys(signingKey: try RSAPrivateKey.generate()),
                                 identity: AcceptAll(), clientMetadataDocuments: nil)
        let client = try server.registration.register(metadata: ["redirect_uris": ["https://bench.example/cb"]])
        let grant = Grant(id: "bench", clientID: client.client_id, userID: "did:privy:bench", scopes: Scope.defaults,
                          resource: settings.mcpResource, privyAccessToken: "privy", createdAt: Date())
        let tokens = AccessTokens(keys: server.keys, settings: settings)
        let signing = try CPUTimeRate.measure(seconds: duration) { _ = try tokens.sign(grant: grant, scopes: grant.scopes, jti: SecureRandom.token(), now: Date()) }

        // A real code flow provides the first refresh token; every grant then rotates it.
        let verifier = SecureRandom.token(byteCount: 40)
        let request = try server.authorizationValidator.validate([
            ("response_type", "code"), ("client_id", client.client_id), ("redirect_uri", "https://bench.example/cb"),
            ("code_challenge", Base64URL.encode(SHA256.hash(Array(verifier.utf8)))), ("code_challenge_method", "S256"),
        ].map { (name: $0.0, value: $0.1) })
        let code = try server.completion.complete(request, privyToken: "privy", claimedUserID: nil, approved: true).code!
        var refreshToken = try server.tokenEndpoint.exchange(OAuthParameters([
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": client.client_id,
            "redirect_uri": "https://bench.example/cb",
        ])).refresh_token!
        let refresh = try CPUTimeRate.measure(seconds: duration) {
            refreshToken = try server.tokenEndpoint.exchange(OAuthParameters([
                "grant_type": "refresh_token", "refresh_token": refreshToken, "client_id": client.client_id,
            ])).refresh_token!
        }
        return (signing, refresh)
    }

    private struct AcceptAll: IdentityVerifier {
        func verify(token: String) throws(IdentityError) -> VerifiedIdentity { VerifiedIdentity(userID: "did:privy:bench") }
    }
}
