import Foundation
import Storage

/// Select lists and their decoders side by side, so the column order is defined in one place.
/// Arrays come back as JSON and timestamps as epoch seconds (see `PostgresRow`).
enum RecordColumns {
    static func client(_ a: String) -> String {
        """
        \(a).id, \(a).client_name, array_to_json(\(a).redirect_uris)::text, \
        array_to_json(\(a).redirect_uri_prefixes)::text, array_to_json(\(a).grant_types)::text, \
        array_to_json(\(a).response_types)::text, \(a).token_endpoint_auth_method, \(a).origin, \
        extract(epoch from \(a).created_at), extract(epoch from \(a).last_used_at)
        """
    }

    static func decodeClient(_ row: PostgresRow) throws(StoreError) -> OAuthClient {
        OAuthClient(
            id: try row.string(0), name: row.optionalString(1), redirectURIs: try row.textArray(2),
            redirectURIPrefixes: try row.textArray(3), grantTypes: try row.textArray(4),
            responseTypes: try row.textArray(5), tokenEndpointAuthMethod: try row.string(6),
            // Rows written by the original system predate `origin`; the migration defaults them to DCR.
            origin: OAuthClient.Origin(rawValue: try row.string(7)) ?? .registered,
            createdAt: try row.date(8), lastUsedAt: try row.optionalDate(9))
    }

    static let grantCount = 8

    static func grant(_ a: String) -> String {
        """
        \(a).id, \(a).client_id, \(a).privy_user_id, array_to_json(\(a).scopes)::text, \(a).resource, \
        \(a).privy_access_token, extract(epoch from \(a).created_at), extract(epoch from \(a).revoked_at)
        """
    }

    /// A grant whose Privy token no longer decrypts (TOKEN_ENCRYPTION_KEY changed) is reported as
    /// revoked: its tokens then fail as invalid_token / invalid_grant and ChatGPT asks the user to
    /// sign in again, rather than seeing a 503 to retry for as long as the refresh token lives.
    static func decodeGrant(_ row: PostgresRow, at c: Int, cipher: TokenCipher) throws(StoreError) -> Grant {
        let privyToken = cipher.open(try row.string(c + 5))
        let revokedAt = try row.optionalDate(c + 7)
        return Grant(id: try row.string(c), clientID: try row.string(c + 1), userID: try row.string(c + 2),
                     scopes: try row.textArray(c + 3), resource: try row.string(c + 4),
                     privyAccessToken: privyToken ?? "", createdAt: try row.date(c + 6),
                     revokedAt: privyToken == nil ? (revokedAt ?? Date()) : revokedAt)
    }

    static let codeCount = 10

    static func code(_ a: String) -> String {
        """
        \(a).code_hash, \(a).grant_id, \(a).client_id, \(a).redirect_uri, \(a).code_challenge, \
        array_to_json(\(a).scopes)::text, \(a).resource, \(a).privy_user_id, \
        extract(epoch from \(a).expires_at), extract(epoch from \(a).used_at)
        """
    }

    static func decodeCode(_ row: PostgresRow, at c: Int) throws(StoreError) -> AuthorizationCode {
        AuthorizationCode(
            codeHash: try row.string(c), grantID: try row.string(c + 1), clientID: try row.string(c + 2),
            redirectURI: try row.string(c + 3), codeChallenge: try row.string(c + 4),
            scopes: try row.textArray(c + 5), resource: try row.string(c + 6), userID: try row.string(c + 7),
            expiresAt: try row.date(c + 8), usedAt: try row.optionalDate(c + 9))
    }

    static func refreshToken(_ a: String) -> String {
        """
        \(a).token, \(a).grant_id, \(a).client_id, \(a).privy_user_id, array_to_json(\(a).scopes)::text, \
        extract(epoch from \(a).expires_at), extract(epoch from \(a).created_at), \
        extract(epoch from \(a).used_at), extract(epoch from \(a).revoked_at)
        """
    }

    static func decodeRefreshToken(_ row: PostgresRow) throws(StoreError) -> RefreshToken {
        RefreshToken(
            tokenHash: try row.string(0), grantID: try row.string(1), clientID: try row.string(2),
            userID: try row.string(3), scopes: try row.textArray(4), expiresAt: try row.date(5),
            createdAt: try row.date(6), usedAt: try row.optionalDate(7), revokedAt: try row.optionalDate(8))
    }

    static let sessionCount = 7

    static func session(_ a: String) -> String {
        """
        \(a).jti, \(a).grant_id, \(a).client_id, \(a).privy_user_id, array_to_json(\(a).scopes)::text, \
        extract(epoch from \(a).expires_at), extract(epoch from \(a).revoked_at)
        """
    }

    static func decodeSession(_ row: PostgresRow) throws(StoreError) -> AccessTokenSession {
        AccessTokenSession(
            jti: try row.string(0), grantID: try row.string(1), clientID: try row.string(2),
            userID: try row.string(3), scopes: try row.textArray(4), expiresAt: try row.date(5),
            revokedAt: try row.optionalDate(6))
    }

    static func demoItem(_ a: String) -> String {
        "\(a).id, \(a).title, \(a).status, extract(epoch from \(a).created_at)"
    }

    static func decodeDemoItem(_ row: PostgresRow) throws(StoreError) -> DemoItem {
        DemoItem(id: try row.string(0), title: try row.string(1), status: try row.string(2),
                 createdAt: try row.date(3))
    }
}
