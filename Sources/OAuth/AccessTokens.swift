import Crypto
import Foundation
import Storage
import WebRules

/// Claims of our access tokens (RFC 9068 JWT profile).
public struct AccessTokenClaims: Sendable, Equatable {
    public let issuer: String
    public let subject: String
    public let audience: String
    public let clientID: String
    public let scopes: [String]
    public let jti: String
    public let issuedAt: Int
    public let expiresAt: Int
}

/// Signs access tokens and checks the ones presented to us.
public struct AccessTokens: Sendable {
    public let keys: SigningKeys
    public let settings: OAuthSettings

    public init(keys: SigningKeys, settings: OAuthSettings) {
        self.keys = keys
        self.settings = settings
    }

    /// An RS256 JWT with `typ: at+jwt` (RFC 9068 §2.1).
    public func sign(grant: Grant, scopes: [String], jti: String, now: Date) throws(OAuthError) -> (token: String, claims: AccessTokenClaims) {
        let issuedAt = Int(now.timeIntervalSince1970)
        let claims = AccessTokenClaims(issuer: settings.issuer, subject: grant.userID, audience: grant.resource,
                                       clientID: grant.clientID, scopes: scopes, jti: jti, issuedAt: issuedAt,
                                       expiresAt: issuedAt + Int(settings.accessTokenLifetime))
        let payload: JSONObject = [
            "iss": claims.issuer, "sub": claims.subject, "aud": claims.audience, "client_id": claims.clientID,
            "scope": Scope.join(scopes), "jti": jti, "iat": issuedAt, "exp": claims.expiresAt,
        ]
        do {
            let token = try CompactJWS.sign(header: ["alg": "RS256", "typ": "at+jwt", "kid": keys.keyID], claims: payload) { input throws(CryptoError) in
                try keys.signingKey.signRS256(input)
            }
            return (token, claims)
        } catch {
            throw OAuthError(.serverError, "could not sign the access token", status: 500)
        }
    }

    /// Verifies signature and claims: RS256 only, a key we published, our issuer, an accepted
    /// audience, not expired. Reasons name the failed check and never echo the token.
    /// `checkingTime: false` recognises our own expired tokens (revocation closes them too).
    public func verify(_ token: String, now: Date, checkingTime: Bool = true) -> Result<AccessTokenClaims, AccessTokenProblem> {
        guard let jws = try? CompactJWS(parsing: token) else { return .failure(.malformed) }
        guard jws.alg == "RS256" else { return .failure(.wrongAlgorithm) }
        // RFC 9068 §4 / RFC 8725 §3.11: explicit typing, so no other JWT signed with our key
        // (should there ever be one) can pass as an access token.
        guard let typ = jws.typ?.lowercased(), typ == "at+jwt" || typ == "application/at+jwt" else {
            return .failure(.wrongType)
        }
        guard let key = keys.verificationKey(id: jws.kid) else { return .failure(.unknownKey) }
        guard key.verifyRS256(signature: jws.signature, message: jws.signingInput) else { return .failure(.badSignature) }
        guard let claims = try? jws.claims() else { return .failure(.malformed) }
        guard claims["iss"] as? String == settings.issuer else { return .failure(.wrongIssuer) }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        guard let audience = audiences.first(where: { ByteExact.contains(settings.acceptedResources, $0) }) else { return .failure(.wrongAudience) }
        guard let expiresAt = Self.number(claims["exp"]), let issuedAt = Self.number(claims["iat"]) else {
            return .failure(.malformed)
        }
        let nowSeconds = Int(now.timeIntervalSince1970)
        if checkingTime {
            guard expiresAt > nowSeconds else { return .failure(.expired) }
            guard issuedAt <= nowSeconds + 60 else { return .failure(.notYetValid) }
            if let notBefore = Self.number(claims["nbf"]), notBefore > nowSeconds + 60 { return .failure(.notYetValid) }
        }
        guard let subject = claims["sub"] as? String, let jti = claims["jti"] as? String,
              let clientID = claims["client_id"] as? String
        else { return .failure(.malformed) }
        return .success(AccessTokenClaims(issuer: settings.issuer, subject: subject, audience: audience, clientID: clientID,
                                          scopes: Scope.parse(claims["scope"] as? String), jti: jti,
                                          issuedAt: issuedAt, expiresAt: expiresAt))
    }

    static func number(_ value: Any?) -> Int? {
        if let value = value as? Int { return value }
        if let value = value as? Double, value.isFinite, abs(value) < 1e15 { return Int(value) }
        return nil
    }
}

public enum AccessTokenProblem: String, Error, Sendable {
    case malformed = "token is not a well-formed JWT"
    case wrongAlgorithm = "token algorithm is not RS256"
    case wrongType = "token type is not at+jwt"
    case unknownKey = "token was not signed by a key of this server"
    case badSignature = "token signature is invalid"
    case wrongIssuer = "token issuer is not this server"
    case wrongAudience = "token audience is not this resource"
    case expired = "token has expired"
    case notYetValid = "token is not valid yet"
    case revoked = "token has been revoked"
    case unknownSession = "token is not known to this server"
}
