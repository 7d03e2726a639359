import Crypto
import Foundation
import Storage
import WebRules

/// RFC 7009 token revocation for refresh tokens and access tokens.
public struct Revocation: Sendable {
    let store: any GrantStore
    let accessTokens: AccessTokens

    public init(store: any GrantStore, accessTokens: AccessTokens) {
        self.store = store
        self.accessTokens = accessTokens
    }

    /// Unknown and already-invalid tokens succeed silently (RFC 7009 §2.2). A token of another
    /// client is refused (§2.1: "verifies whether the token was issued to the client").
    public func revoke(_ parameters: OAuthParameters, now: Date = Date()) throws(OAuthError) {
        let token = try parameters.required("token")
        guard let clientID = parameters["client_id"] else { throw OAuthError(.invalidClient, "client_id is required") }
        if let hint = parameters["token_type_hint"], hint != "refresh_token" && hint != "access_token" {
            throw OAuthError(.unsupportedTokenType, "token_type_hint must be refresh_token or access_token")
        }
        do {
            if let refresh = try store.refreshToken(hash: SHA256.hexHash(token)) {
                guard ByteExact.equal(refresh.clientID, clientID) else { throw OAuthError(.unauthorizedClient, "token was issued to another client") }
                // §2.1: revoking a refresh token also revokes the access tokens of the same grant.
                try store.revokeGrant(id: refresh.grantID, now: now)
                return
            }
            // Expired access tokens are still recognised, so their sessions can be closed too.
            if case .success(let claims) = accessTokens.verify(token, now: now, checkingTime: false) {
                guard ByteExact.equal(claims.clientID, clientID) else { throw OAuthError(.unauthorizedClient, "token was issued to another client") }
                try store.revokeAccessSession(jti: claims.jti, now: now)
            }
        } catch let error as OAuthError {
            throw error
        } catch {
            throw .unavailable("revocation is unavailable, try again")
        }
    }
}
