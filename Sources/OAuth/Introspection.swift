import Crypto
import Foundation
import Storage
import WebRules

/// RFC 7662 introspection. Callers authenticate with their own Bearer access token (§2.1 allows
/// it) and learn only about tokens of their own client; anything else is `{"active": false}`.
public struct Introspection: Sendable {
    let store: any GrantStore
    let accessTokens: AccessTokens

    public init(store: any GrantStore, accessTokens: AccessTokens) {
        self.store = store
        self.accessTokens = accessTokens
    }

    public struct Answer: Encodable, Sendable, Equatable {
        public var active: Bool
        public var scope: String? = nil
        public var client_id: String? = nil
        public var sub: String? = nil
        public var aud: String? = nil
        public var iss: String? = nil
        public var exp: Int? = nil
        public var iat: Int? = nil
        public var jti: String? = nil
        public var token_type: String? = nil

        static let inactive = Answer(active: false)
    }

    public func introspect(_ parameters: OAuthParameters, caller: Caller, now: Date = Date()) throws(OAuthError) -> Answer {
        let token = try parameters.required("token")
        do {
            if case .success(let claims) = accessTokens.verify(token, now: now), ByteExact.equal(claims.clientID, caller.clientID),
               let (session, grant) = try store.accessSession(jti: claims.jti), session.revokedAt == nil, grant.revokedAt == nil {
                return Answer(active: true, scope: Scope.join(claims.scopes), client_id: claims.clientID, sub: claims.subject,
                              aud: claims.audience, iss: claims.issuer, exp: claims.expiresAt, iat: claims.issuedAt,
                              jti: claims.jti, token_type: "Bearer")
            }
            if let refresh = try store.refreshToken(hash: SHA256.hexHash(token)), ByteExact.equal(refresh.clientID, caller.clientID),
               refresh.usedAt == nil, refresh.revokedAt == nil, refresh.expiresAt > now,
               let grant = try store.grant(id: refresh.grantID), grant.revokedAt == nil {
                return Answer(active: true, scope: Scope.join(refresh.scopes), client_id: refresh.clientID, sub: refresh.userID,
                              exp: Int(refresh.expiresAt.timeIntervalSince1970), token_type: "refresh_token")
            }
        } catch {
            throw .unavailable("introspection is unavailable, try again")
        }
        return .inactive
    }
}
