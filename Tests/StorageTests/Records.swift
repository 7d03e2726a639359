import Crypto
import Foundation
import Storage

/// Records for the tests. Dates are whole seconds: PostgreSQL keeps microseconds, so whole
/// seconds round-trip exactly and records compare equal across stores.
enum Sample {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let privyToken = "privy-access-token-plaintext-\(UUID().uuidString)"

    static func hash(_ raw: String) -> String { SHA256.hexHash(raw) }

    static func grant(id: String = UUID().uuidString, userID: String = "did:privy:alice", clientID: String = "client-1",
                      createdAt: Date = t0, revokedAt: Date? = nil) -> Grant {
        Grant(id: id, clientID: clientID, userID: userID, scopes: ["openid", "items:read"],
              resource: "https://app.example/mcp", privyAccessToken: privyToken, createdAt: createdAt, revokedAt: revokedAt)
    }

    static func code(for grant: Grant, raw: String = SecureRandom.token(), expiresAt: Date = t0 + 600) -> AuthorizationCode {
        AuthorizationCode(codeHash: hash(raw), grantID: grant.id, clientID: grant.clientID,
                          redirectURI: "https://chatgpt.com/connector/oauth/abc", codeChallenge: "challenge-\(raw.prefix(8))",
                          scopes: grant.scopes, resource: grant.resource, userID: grant.userID, expiresAt: expiresAt)
    }

    static func refreshToken(for grant: Grant, raw: String = SecureRandom.token(), expiresAt: Date = t0 + 30 * 86_400,
                             revokedAt: Date? = nil) -> RefreshToken {
        RefreshToken(tokenHash: hash(raw), grantID: grant.id, clientID: grant.clientID, userID: grant.userID,
                     scopes: grant.scopes, expiresAt: expiresAt, createdAt: t0, revokedAt: revokedAt)
    }

    static func session(for grant: Grant, jti: String = UUID().uuidString, expiresAt: Date = t0 + 3600) -> AccessTokenSession {
        AccessTokenSession(jti: jti, grantID: grant.id, clientID: grant.clientID, userID: grant.userID,
                           scopes: grant.scopes, expiresAt: expiresAt)
    }

    /// A grant with its code, stored; returns both.
    @discardableResult
    static func storedGrant(_ store: any AppStore, userID: String = "did:privy:alice", clientID: String = "client-1",
                            codeExpiresAt: Date = t0 + 600) throws -> (Grant, AuthorizationCode) {
        let grant = grant(userID: userID, clientID: clientID)
        let code = code(for: grant, expiresAt: codeExpiresAt)
        try store.createGrant(grant, code: code)
        return (grant, code)
    }
}
