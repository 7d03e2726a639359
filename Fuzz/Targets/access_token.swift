import Crypto
import Foundation
import OAuth

/// Our access tokens at the resource: BearerAuthenticator.authenticate (Authorization header
/// parsing, AccessTokens.verify, the session lookup) as /mcp and /token/introspect call it.
///
/// Input: a mode byte, then
///   mode 0: the whole Authorization header value (placeholders allowed: `Bearer @@AT@@`);
///   mode 1: header JSON bytes, NUL, claims JSON bytes -> signed RS256 with OUR key, so the
///           claim checks (iss, aud, exp, iat, nbf, sub, jti, client_id, session) are reached;
///   mode 2: the same, signed with ANOTHER RSA key (must never authenticate);
///   mode 3: the same bytes, "signed" HS256 with our public key's JWK as the secret, or with
///           alg none and no signature (RFC 8725 §2.1, §3.1: must never authenticate).
/// Properties: no trap; success only for tokens our key signed whose claims match the live
/// session; a mode-0 success presents exactly the fixture token.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = FuzzReader(Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size))))
    let mode = reader.byte() & 3
    let authorization: String
    switch mode {
    case 0:
        authorization = reader.rest().text
    default:
        authorization = "Bearer " + reader.signedToken(mode: mode, trusted: { try Harness.signingKey.signRS256($0) },
                                                       other: { try AccessTokenFixtures.otherKey.signRS256($0) },
                                                       publicKeyAsSecret: AccessTokenFixtures.publicJWK)
    }

    let bearer = BearerAuthenticator(accessTokens: Harness.accessTokens, store: AccessTokenFixtures.store)
    let result = bearer.authenticate(authorization: authorization)
    // The revocation path reads our own tokens without the time checks; it must not trap either.
    if let token = authorization.split(separator: " ", maxSplits: 1).last {
        _ = Harness.accessTokens.verify(String(token), now: Date(), checkingTime: false)
    }
    switch result {
    case .success(let context):
        Harness.require(mode == 0 || mode == 1, "a token not signed by our key authenticated (mode \(mode))")
        if mode == 0 {
            Harness.require(authorization.contains(Harness.accessToken), "an altered token authenticated: \(authorization.prefix(120))")
        }
        Harness.require(context.jti == Harness.jti && context.clientID == Harness.clientID && context.userID == Harness.userID,
                        "authenticated with claims that do not match the session")
        Harness.require(Harness.settings.acceptedResources.contains(context.resource), "accepted audience \(context.resource)")
    case .failure(let problem):
        if case .unavailable = problem { Harness.require(false, "memory store reported unavailable") }
    }
    return 0
}

enum AccessTokenFixtures {
    static let store = Harness.makeStore()
    static let otherKey: RSAPrivateKey = {
        do { return try RSAPrivateKey.generate() } catch { fatalError("generate: \(error)") }
    }()
    /// What an attacker would use as the HMAC secret: our published JWK (as JSON text).
    static let publicJWK: [UInt8] = {
        let jwk = Harness.signingKeys.jwks[0]
        let data = try? JSONSerialization.data(withJSONObject: jwk, options: [.sortedKeys])
        return data.map { [UInt8]($0) } ?? []
    }()
}
