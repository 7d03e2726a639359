import Foundation
import Storage

extension PostgresStore {
    /// Upsert by token hash. The original schema's NOT NULL `privy_access_token` gets a copy of
    /// the grant's ciphertext; the store itself only ever reads the grant's.
    static let saveRefreshToken = PostgresStatement(name: "save_refresh_token", sql: """
        INSERT INTO oauth_refresh_tokens (token, grant_id, client_id, privy_user_id, scopes, privy_access_token,
                                          expires_at, created_at, used_at, revoked_at)
        SELECT $1, g.id, $3, $4, $5::text[], g.privy_access_token,
               to_timestamp($6), to_timestamp($7), to_timestamp($8), to_timestamp($9)
          FROM oauth_grants AS g WHERE g.id = $2
        ON CONFLICT (token) DO UPDATE SET
          grant_id = EXCLUDED.grant_id, client_id = EXCLUDED.client_id, privy_user_id = EXCLUDED.privy_user_id,
          scopes = EXCLUDED.scopes, privy_access_token = EXCLUDED.privy_access_token,
          expires_at = EXCLUDED.expires_at, created_at = EXCLUDED.created_at,
          used_at = EXCLUDED.used_at, revoked_at = EXCLUDED.revoked_at, replaced_by = NULL
        """)

    /// Rows of the original system have no grant and are never returned.
    static let selectRefreshToken = PostgresStatement(name: "select_refresh_token", sql: """
        SELECT \(RecordColumns.refreshToken("t")) FROM oauth_refresh_tokens AS t
         WHERE t.token = $1 AND t.grant_id IS NOT NULL
        """)

    /// A token used at most `$10` seconds before `$2`: a retry, not a reuse (`RefreshRotation`).
    static func withinReuseInterval(_ column: String) -> String {
        "($10::float8 > 0 AND \(column) >= to_timestamp($2) - make_interval(secs => $10::float8))"
    }

    /// Rotation and the reuse rule in one statement. The conditional UPDATE picks who may rotate
    /// (an unused token, or one used within the reuse interval) and the replacement is inserted
    /// only from the row it returns; a token used before that revokes its grant, its tokens and
    /// its sessions (RFC 9700 §4.14.2). `used_at` and `replaced_by` keep the first use, so a retry
    /// can recognise its own rotation and the interval counts from the first use. A concurrent
    /// UPDATE of the same row waits and re-checks the row as committed (READ COMMITTED), so
    /// callers racing within the interval all rotate. All parts read one snapshot: the UPDATE of
    /// `old` and the revocations never meet one row.
    static let rotateRefreshToken = PostgresStatement(name: "rotate_refresh_token", sql: """
        WITH old AS (
          UPDATE oauth_refresh_tokens AS t
             SET used_at = coalesce(t.used_at, to_timestamp($2)), replaced_by = coalesce(t.replaced_by, $3)
            FROM oauth_grants AS g
           WHERE t.token = $1 AND (t.used_at IS NULL OR \(withinReuseInterval("t.used_at")))
             AND t.revoked_at IS NULL AND t.expires_at > to_timestamp($2)
             AND g.id = t.grant_id AND g.revoked_at IS NULL
          RETURNING t.id
        ), fresh AS (
          INSERT INTO oauth_refresh_tokens (token, grant_id, client_id, privy_user_id, scopes, privy_access_token,
                                            expires_at, created_at)
          SELECT $3, $4, $5, $6, $7::text[],
                 -- NULL (and so a failed statement, rolling back the UPDATE) if the grant is unknown.
                 (SELECT privy_access_token FROM oauth_grants WHERE id = $4),
                 to_timestamp($8), to_timestamp($9)
            FROM old
          RETURNING 1
        ), reused AS (
          SELECT grant_id FROM oauth_refresh_tokens
           WHERE token = $1 AND used_at IS NOT NULL AND NOT \(withinReuseInterval("used_at")) AND grant_id IS NOT NULL
        ), \(revokeFamily(of: "reused", at: "$2"))
        SELECT (SELECT count(*) FROM fresh), (SELECT grant_id FROM reused)
        """)

    /// The reuse rule alone, for a token a concurrent caller rotated after this statement's
    /// snapshot of `rotateRefreshToken` was taken: used now, so presented twice.
    /// `$3` is the reuse interval: within it, the late use is a retry and revokes nothing.
    static let revokeReusedToken = PostgresStatement(name: "revoke_reused_token", sql: """
        WITH reused AS (
          SELECT grant_id FROM oauth_refresh_tokens
           WHERE token = $1 AND used_at IS NOT NULL AND grant_id IS NOT NULL
             AND NOT ($3::float8 > 0 AND used_at >= to_timestamp($2) - make_interval(secs => $3::float8))
        ), \(revokeFamily(of: "reused", at: "$2"))
        SELECT grant_id FROM reused
        """)

    /// CTEs revoking every grant in `source` (a CTE with a `grant_id` column) with its refresh
    /// tokens and access sessions, at the time parameter `time`.
    static func revokeFamily(of source: String, at time: String) -> String {
        """
        family AS (
          UPDATE oauth_grants SET revoked_at = to_timestamp(\(time))
           WHERE id IN (SELECT grant_id FROM \(source)) AND revoked_at IS NULL RETURNING id
        ), family_tokens AS (
          UPDATE oauth_refresh_tokens SET revoked_at = to_timestamp(\(time))
           WHERE grant_id IN (SELECT grant_id FROM \(source)) AND revoked_at IS NULL RETURNING 1
        ), family_sessions AS (
          UPDATE oauth_access_token_sessions SET revoked_at = to_timestamp(\(time))
           WHERE grant_id IN (SELECT grant_id FROM \(source)) AND revoked_at IS NULL RETURNING 1
        )
        """
    }

    static let rotationState = PostgresStatement(name: "rotation_state", sql: """
        SELECT coalesce(replaced_by = $2, false) FROM oauth_refresh_tokens WHERE token = $1
        """)

    public func saveRefreshToken(_ token: RefreshToken) throws(StoreError) {
        let params: [String?] = [
            token.tokenHash, token.grantID, token.clientID, token.userID, PostgresParameter.textArray(token.scopes),
            PostgresParameter.timestamp(token.expiresAt), PostgresParameter.timestamp(token.createdAt),
            PostgresParameter.nullableTimestamp(token.usedAt), PostgresParameter.nullableTimestamp(token.revokedAt),
        ]
        let saved = try perform("saveRefreshToken", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.saveRefreshToken, params: params).affectedRows
        }
        if saved == 0 { throw .conflict("refresh token for an unknown grant") }
    }

    public func refreshToken(hash: String) throws(StoreError) -> RefreshToken? {
        try perform("refreshToken", .safe) { connection, _ throws(StoreError) in
            let result = try connection.execute(Self.selectRefreshToken, params: [hash])
            return result.rowCount == 0 ? nil : try RecordColumns.decodeRefreshToken(result[0])
        }
    }

    public func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date,
                                   reuseInterval: TimeInterval) throws(StoreError) -> RefreshRotation {
        try perform("rotateRefreshToken", .safe) { connection, isRetry throws(StoreError) in
            try rotateRefreshToken(hash: hash, replacement: replacement, now: now, reuseInterval: reuseInterval,
                                   isRetry: isRetry, on: connection)
        }
    }

    /// One attempt. The replacement's (random) hash identifies the caller: on a retry, a row
    /// already `replaced_by` it is this caller's own rotation, committed before the drop, and must
    /// not be taken for reuse.
    func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date, reuseInterval: TimeInterval = 0, isRetry: Bool,
                            on connection: PostgresConnection) throws(StoreError) -> RefreshRotation {
        if isRetry {
            let state = try connection.execute(Self.rotationState, params: [hash, replacement.tokenHash])
            if state.rowCount == 1, try state[0].bool(0) { return .rotated }
        }
        let time = PostgresParameter.timestamp(now)
        let params: [String?] = [
            hash, time, replacement.tokenHash, replacement.grantID, replacement.clientID,
            replacement.userID, PostgresParameter.textArray(replacement.scopes),
            PostgresParameter.timestamp(replacement.expiresAt), PostgresParameter.timestamp(replacement.createdAt),
            String(reuseInterval),
        ]
        let outcome = try connection.execute(Self.rotateRefreshToken, params: params)
        if try outcome[0].int(0) == 1 { return .rotated }
        if let grantID = outcome[0].optionalString(1) { return .reused(grantID: grantID) }
        // Used by a concurrent caller after this statement's snapshot: the same rule applies.
        let late = try connection.execute(Self.revokeReusedToken, params: [hash, time, String(reuseInterval)])
        if late.rowCount == 1, let grantID = late[0].optionalString(0) { return .reused(grantID: grantID) }
        return .invalid
    }
}
