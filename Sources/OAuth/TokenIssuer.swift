import Crypto
import Foundation
import Storage

/// The token endpoint's successful answer (RFC 6749 §5.1).
public struct TokenResponse: Encodable, Sendable, Equatable {
    public let access_token: String
    public let token_type: String
    public let expires_in: Int
    public let refresh_token: String?
    public let scope: String
}

/// Mints an access token (recorded as a session, so it can be revoked) and a refresh token
/// (stored only as its SHA-256) for a grant.
struct TokenIssuer: Sendable {
    /// Every grant yields a refresh token, whatever its scopes: `offline_access` is not
    /// advertised (MCP 2026-07-28 authorization) and ChatGPT reconnects without naming it. The
    /// consent screen says so (`AuthorizationRequest.staysConnected`).
    static let issuesRefreshTokenForEveryGrant = true

    let store: any GrantStore
    let accessTokens: AccessTokens
    let settings: OAuthSettings
    let clientUse: ClientUseRecorder

    func issue(grant: Grant, accessScopes: [String], refreshScopes: [String], now: Date,
               rotating previousRefreshHash: String? = nil) throws(OAuthError) -> TokenResponse {
        let jti = SecureRandom.token(byteCount: 16)
        let (accessToken, claims) = try accessTokens.sign(grant: grant, scopes: accessScopes, jti: jti, now: now)
        let refreshToken = SecureRandom.token(byteCount: 32)
        let refreshRecord = RefreshToken(tokenHash: SHA256.hexHash(refreshToken), grantID: grant.id, clientID: grant.clientID,
                                         userID: grant.userID, scopes: refreshScopes,
                                         expiresAt: now.addingTimeInterval(settings.refreshTokenLifetime), createdAt: now)
        do {
            if let previousRefreshHash {
                // The store applies the reuse rule as it rotates (RefreshRotation, RFC 9700 §4.14.2).
                switch try store.rotateRefreshToken(hash: previousRefreshHash, replacement: refreshRecord, now: now,
                                                    reuseInterval: settings.refreshReuseInterval) {
                case .rotated: break
                case .reused:
                    throw OAuthError.invalidGrant("refresh token was already used; the grant has been revoked")
                case .invalid: throw OAuthError.invalidGrant("refresh token is revoked or expired")
                }
            } else {
                try store.saveRefreshToken(refreshRecord)
            }
            try store.saveAccessSession(AccessTokenSession(jti: jti, grantID: grant.id, clientID: grant.clientID,
                                                           userID: grant.userID, scopes: accessScopes,
                                                           expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.expiresAt))))
        } catch let error as OAuthError {
            throw error
        } catch {
            throw OAuthError.unavailable("token storage is unavailable, try again")
        }
        clientUse.recordUse(clientID: grant.clientID, now: now)
        return TokenResponse(access_token: accessToken, token_type: "Bearer", expires_in: Int(settings.accessTokenLifetime),
                             refresh_token: refreshToken, scope: Scope.join(accessScopes))
    }
}
