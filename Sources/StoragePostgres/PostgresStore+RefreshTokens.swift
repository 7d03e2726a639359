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

    /// Rotation in one statement: the conditional UPDATE picks the one winner (as for codes),
    /// and the replacement is inserted only from the row it returns. `replaced_by` remembers
    /// which replacement won, so a retry can recognise its own rotation.
    static let rotateRefreshToken = PostgresStatement(name: "rotate_refresh_token", sql: """
        WITH old AS (
          UPDATE oauth_refresh_tokens AS t
             SET used_at = to_timestamp($2), replaced_by = $3
            FROM oauth_grants AS g
           WHERE t.token = $1 AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > to_timestamp($2)
             AND g.id = t.grant_id AND g.revoked_at IS NULL
          RETURNING t.id
        )
        INSERT INTO oauth_refresh_tokens (token, grant_id, client_id, privy_user_id, scopes, privy_access_token,
                                          expires_at, created_at)
        SELECT $3, $4, $5, $6, $7::text[],
               -- NULL (and so a failed statement, rolling back the UPDATE) if the grant is unknown.
               (SELECT privy_access_token FROM oauth_grants WHERE id = $4),
               to_timestamp($8), to_timestamp($9)
          FROM old
        RETURNING 1
        """)

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

    public func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date) throws(StoreError) -> Bool {
        try perform("rotateRefreshToken", .safe) { connection, isRetry throws(StoreError) in
            try rotateRefreshToken(hash: hash, replacement: replacement, now: now, isRetry: isRetry, on: connection)
        }
    }

    /// One attempt. The replacement's (random) hash identifies the caller: on a retry, a row
    /// already `replaced_by` it is this caller's own rotation, committed before the drop.
    func rotateRefreshToken(hash: String, replacement: RefreshToken, now: Date, isRetry: Bool,
                            on connection: PostgresConnection) throws(StoreError) -> Bool {
        let params: [String?] = [
            hash, PostgresParameter.timestamp(now), replacement.tokenHash, replacement.grantID, replacement.clientID,
            replacement.userID, PostgresParameter.textArray(replacement.scopes),
            PostgresParameter.timestamp(replacement.expiresAt), PostgresParameter.timestamp(replacement.createdAt),
        ]
        if try connection.execute(Self.rotateRefreshToken, params: params).rowCount == 1 { return true }
        // Anyone else's rotation (or a used, revoked or expired token) is a plain false.
        guard isRetry else { return false }
        let state = try connection.execute(Self.rotationState, params: [hash, replacement.tokenHash])
        return state.rowCount == 1 ? try state[0].bool(0) : false
    }
}
