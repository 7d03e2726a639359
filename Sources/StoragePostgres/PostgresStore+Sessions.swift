import Foundation
import Storage

extension PostgresStore {
    /// Upsert by jti; `privy_access_token` copies the grant's ciphertext (see refresh tokens).
    static let saveAccessSession = PostgresStatement(name: "save_access_session", sql: """
        INSERT INTO oauth_access_token_sessions (jti, grant_id, client_id, privy_user_id, scopes, privy_access_token,
                                                 expires_at, revoked_at)
        SELECT $1, g.id, $3, $4, $5::text[], g.privy_access_token, to_timestamp($6), to_timestamp($7)
          FROM oauth_grants AS g WHERE g.id = $2
        ON CONFLICT (jti) DO UPDATE SET
          grant_id = EXCLUDED.grant_id, client_id = EXCLUDED.client_id, privy_user_id = EXCLUDED.privy_user_id,
          scopes = EXCLUDED.scopes, privy_access_token = EXCLUDED.privy_access_token,
          expires_at = EXCLUDED.expires_at, revoked_at = EXCLUDED.revoked_at
        """)

    /// Runs on every MCP request carrying an access token: one indexed join.
    static let selectAccessSession = PostgresStatement(name: "select_access_session", sql: """
        SELECT \(RecordColumns.session("s")), \(RecordColumns.grant("g"))
          FROM oauth_access_token_sessions AS s JOIN oauth_grants AS g ON g.id = s.grant_id
         WHERE s.jti = $1
        """)

    static let revokeAccessSession = PostgresStatement(name: "revoke_access_session", sql: """
        UPDATE oauth_access_token_sessions SET revoked_at = to_timestamp($2) WHERE jti = $1 AND revoked_at IS NULL
        """)

    public func saveAccessSession(_ session: AccessTokenSession) throws(StoreError) {
        let params: [String?] = [
            session.jti, session.grantID, session.clientID, session.userID, PostgresParameter.textArray(session.scopes),
            PostgresParameter.timestamp(session.expiresAt), PostgresParameter.nullableTimestamp(session.revokedAt),
        ]
        let saved = try perform("saveAccessSession", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.saveAccessSession, params: params).affectedRows
        }
        if saved == 0 { throw .conflict("access session for an unknown grant") }
    }

    public func accessSession(jti: String) throws(StoreError) -> (AccessTokenSession, Grant)? {
        try perform("accessSession", .safe) { connection, _ throws(StoreError) in
            let result = try connection.execute(Self.selectAccessSession, params: [jti])
            guard result.rowCount == 1 else { return nil }
            let row = result[0]
            return (try RecordColumns.decodeSession(row),
                    try RecordColumns.decodeGrant(row, at: RecordColumns.sessionCount, cipher: cipher))
        }
    }

    public func revokeAccessSession(jti: String, now: Date) throws(StoreError) {
        try perform("revokeAccessSession", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.revokeAccessSession, params: [jti, PostgresParameter.timestamp(now)])
        }
    }
}
