import Crypto
import Foundation
import Storage
import WebRules

/// RFC 6749 §6 with rotation: every use returns a new refresh token; a used one presented again
/// means it leaked, so the whole grant is revoked (RFC 9700 §4.14.2).
struct RefreshTokenGrant: TokenGrantHandler {
    let store: any GrantStore
    let issuer: TokenIssuer
    let settings: OAuthSettings
    var grantType: GrantType { .refreshToken }

    func exchange(_ parameters: OAuthParameters, client: OAuthClient, now: Date) throws(OAuthError) -> TokenResponse {
        let presented = try parameters.required("refresh_token")
        let hash = SHA256.hexHash(presented)
        let token: RefreshToken, grant: Grant
        do {
            guard let found = try store.refreshToken(hash: hash) else { throw OAuthError.invalidGrant("refresh token is invalid") }
            guard ByteExact.equal(found.clientID, client.id) else { throw OAuthError.invalidGrant("refresh token was issued to another client") }
            if found.usedAt != nil {
                try store.revokeGrant(id: found.grantID, now: now)
                throw OAuthError.invalidGrant("refresh token was already used; the grant has been revoked")
            }
            guard found.revokedAt == nil, found.expiresAt > now else { throw OAuthError.invalidGrant("refresh token is revoked or expired") }
            guard let foundGrant = try store.grant(id: found.grantID), foundGrant.revokedAt == nil else {
                throw OAuthError.invalidGrant("the grant of this refresh token was revoked")
            }
            token = found
            grant = foundGrant
        } catch let error as OAuthError {
            throw error
        } catch {
            throw .unavailable("token storage is unavailable, try again")
        }
        // RFC 6749 §6: the scope may shrink but never grow.
        var accessScopes = token.scopes
        if let requested = parameters["scope"] {
            let scopes = Scope.parse(requested)
            guard ByteExact.isSubset(scopes, of: token.scopes) else {
                throw OAuthError(.invalidScope, "scope exceeds the scope originally granted")
            }
            accessScopes = scopes
        }
        if let resource = parameters["resource"] {
            guard ByteExact.equal(try ResourcePolicy(settings: settings).resolve(resource), grant.resource) else {
                throw OAuthError(.invalidTarget, "resource does not match the grant")
            }
        }
        return try issuer.issue(grant: grant, accessScopes: accessScopes, refreshScopes: token.scopes, now: now,
                                rotating: hash)
    }
}
