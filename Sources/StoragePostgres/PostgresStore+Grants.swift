import Crypto
import Foundation
import Storage

extension PostgresStore {
    /// One statement, so a grant never exists without its first code.
    static let insertGrantAndCode = PostgresStatement(name: "insert_grant_and_code", sql: """
        WITH new_grant AS (
          INSERT INTO oauth_grants (id, client_id, privy_user_id, scopes, resource, privy_access_token,
                                    created_at, revoked_at)
          VALUES ($1, $2, $3, $4::text[], $5, $6, to_timestamp($7), to_timestamp($8))
          RETURNING id
        )
        INSERT INTO oauth_authorization_codes (code_hash, grant_id, client_id, redirect_uri, code_challenge,
                                               scopes, resource, privy_user_id, expires_at, used_at)
        SELECT $9, $10, $11, $12, $13, $14::text[], $15, $16, to_timestamp($17), to_timestamp($18) FROM new_grant
        """)

    /// The single-use guarantee: a conditional UPDATE on the code's row. Concurrent callers
    /// queue on the row lock; after the winner commits, PostgreSQL re-checks `used_at IS NULL`
    /// for the others, which then update nothing. `redeemed_by` records this call's attempt id.
    static let redeemCode = PostgresStatement(name: "redeem_code", sql: """
        UPDATE oauth_authorization_codes AS c
           SET used_at = to_timestamp($2), redeemed_by = $3
          FROM oauth_grants AS g
         WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > to_timestamp($2)
           AND g.id = c.grant_id AND g.revoked_at IS NULL
        RETURNING \(RecordColumns.code("c")), \(RecordColumns.grant("g"))
        """)

    /// Why a redemption updated nothing: unknown, used (by us on an earlier attempt, or by
    /// someone else), or expired / revoked.
    static let codeState = PostgresStatement(name: "code_state", sql: """
        SELECT \(RecordColumns.code("c")), \(RecordColumns.grant("g")),
               c.used_at IS NOT NULL, coalesce(c.redeemed_by = $2, false)
          FROM oauth_authorization_codes AS c JOIN oauth_grants AS g ON g.id = c.grant_id
         WHERE c.code_hash = $1
        """)

    static let selectGrant = PostgresStatement(name: "select_grant", sql: """
        SELECT \(RecordColumns.grant("g")) FROM oauth_grants AS g WHERE g.id = $1
        """)

    /// The grant and everything issued from it, in one statement. Tokens and sessions get
    /// `revoked_at` too, so the rows say what happened even without the join.
    static let revokeGrant = PostgresStatement(name: "revoke_grant", sql: """
        WITH grants AS (
          UPDATE oauth_grants SET revoked_at = to_timestamp($2) WHERE id = $1 AND revoked_at IS NULL RETURNING id
        ), tokens AS (
          UPDATE oauth_refresh_tokens SET revoked_at = to_timestamp($2)
           WHERE grant_id = $1 AND revoked_at IS NULL RETURNING 1
        ), sessions AS (
          UPDATE oauth_access_token_sessions SET revoked_at = to_timestamp($2)
           WHERE grant_id = $1 AND revoked_at IS NULL RETURNING 1
        )
        SELECT (SELECT count(*) FROM grants), (SELECT count(*) FROM tokens), (SELECT count(*) FROM sessions)
        """)

    static let revokeUserGrants = PostgresStatement(name: "revoke_user_grants", sql: """
        WITH grants AS (
          UPDATE oauth_grants SET revoked_at = to_timestamp($3)
           WHERE privy_user_id = $1 AND client_id = $2 AND revoked_at IS NULL RETURNING id
        ), tokens AS (
          UPDATE oauth_refresh_tokens SET revoked_at = to_timestamp($3)
           WHERE grant_id IN (SELECT id FROM grants) AND revoked_at IS NULL RETURNING 1
        ), sessions AS (
          UPDATE oauth_access_token_sessions SET revoked_at = to_timestamp($3)
           WHERE grant_id IN (SELECT id FROM grants) AND revoked_at IS NULL RETURNING 1
        )
        SELECT (SELECT count(*) FROM grants), (SELECT count(*) FROM tokens), (SELECT count(*) FROM sessions)
        """)

    public func createGrant(_ grant: Grant, code: AuthorizationCode) throws(StoreError) {
        let sealed = try cipher.seal(grant.privyAccessToken)
        let params: [String?] = [
            grant.id, grant.clientID, grant.userID, PostgresParameter.textArray(grant.scopes), grant.resource, sealed,
            PostgresParameter.timestamp(grant.createdAt), PostgresParameter.nullableTimestamp(grant.revokedAt),
            code.codeHash, code.grantID, code.clientID, code.redirectURI, code.codeChallenge,
            PostgresParameter.textArray(code.scopes), code.resource, code.userID,
            PostgresParameter.timestamp(code.expiresAt), PostgresParameter.nullableTimestamp(code.usedAt),
        ]
        try perform("createGrant", .safe) { connection, isRetry throws(StoreError) in
            do throws(StoreError) {
                try connection.execute(Self.insertGrantAndCode, params: params)
            } catch {
                // A conflict on the retry may be our own first attempt, committed just before
                // the connection dropped; the random code hash tells.
                guard isRetry, case StoreError.conflict = error,
                      try connection.execute("""
                          SELECT 1 FROM oauth_authorization_codes WHERE code_hash = $1 AND grant_id = $2
                          """, params: [code.codeHash, grant.id]).rowCount == 1
                else { throw error }
            }
        }
    }

    public func redeemCode(hash: String, now: Date) throws(StoreError) -> CodeRedemption {
        // Unique per call, so a retry after a lost connection recognises its own redemption
        // instead of reporting it as a replay (which would revoke the grant).
        let attempt = SecureRandom.token(byteCount: 16)
        return try perform("redeemCode", .safe) { connection, _ throws(StoreError) in
            try redeemCode(hash: hash, now: now, attempt: attempt, on: connection)
        }
    }

    /// One attempt; repeating it with the same `attempt` id gives the same answer.
    func redeemCode(hash: String, now: Date, attempt: String, on connection: PostgresConnection)
        throws(StoreError) -> CodeRedemption {
        let redeemed = try connection.execute(Self.redeemCode, params: [hash, PostgresParameter.timestamp(now), attempt])
        if redeemed.rowCount == 1 {
            let row = redeemed[0]
            return .redeemed(try RecordColumns.decodeCode(row, at: 0),
                             try RecordColumns.decodeGrant(row, at: RecordColumns.codeCount, cipher: cipher))
        }
        let state = try connection.execute(Self.codeState, params: [hash, attempt])
        guard state.rowCount == 1 else { return .invalid }
        let row = state[0]
        let stateColumn = RecordColumns.codeCount + RecordColumns.grantCount
        if try row.bool(stateColumn + 1) {
            return .redeemed(try RecordColumns.decodeCode(row, at: 0),
                             try RecordColumns.decodeGrant(row, at: RecordColumns.codeCount, cipher: cipher))
        }
        if try row.bool(stateColumn) { return .replayed(grantID: try row.string(1)) }
        return .invalid
    }

    public func grant(id: String) throws(StoreError) -> Grant? {
        try perform("grant", .safe) { connection, _ throws(StoreError) in
            let result = try connection.execute(Self.selectGrant, params: [id])
            return result.rowCount == 0 ? nil : try RecordColumns.decodeGrant(result[0], at: 0, cipher: cipher)
        }
    }

    public func revokeGrant(id: String, now: Date) throws(StoreError) {
        try perform("revokeGrant", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.revokeGrant, params: [id, PostgresParameter.timestamp(now)])
        }
    }

    public func revokeGrants(userID: String, clientID: String, now: Date) throws(StoreError) {
        try perform("revokeGrants", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.revokeUserGrants, params: [userID, clientID, PostgresParameter.timestamp(now)])
        }
    }
}
