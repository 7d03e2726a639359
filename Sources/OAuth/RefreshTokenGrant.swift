import Crypto
import Foundation
import Storage
import WebRules

/// RFC 6749 §6 with rotation: every use returns a new refresh token. A used one presented again
/// means it leaked, so the whole grant is revoked (RFC 9700 §4.14.2): the store decides that as
/// it rotates (`RefreshRotation` in Storage/RefreshTokenReuse.swift), so it is never skipped.
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
            guard let foundGrant = try store.grant(id: found.grantID) else { throw OAuthError.invalidGrant("refresh token is invalid") }
            // A live-looking token that cannot rotate is refused here, before any signing; a used
            // one goes on to the rotation, where the reuse rule revokes its grant.
            if found.usedAt == nil {
                guard found.revokedAt == nil, found.expiresAt > now else {
                    throw OAuthError.invalidGrant("refresh token is revoked or expired")
                }
                guard foundGrant.revokedAt == nil else { throw OAuthError.invalidGrant("the grant of this refresh token was revoked") }
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
