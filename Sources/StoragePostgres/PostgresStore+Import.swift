import Storage

extension PostgresStore {
    static let importClient = PostgresStatement(name: "import_client", sql: """
        INSERT INTO oauth_clients (id, client_name, redirect_uris, origin, created_at)
        VALUES ($1, $2, $3::text[], $4, to_timestamp($5))
        ON CONFLICT (id) DO NOTHING
        RETURNING 1
        """)

    /// Grant and refresh token in one statement, the token's unique hash deciding: a second
    /// import of the same token inserts neither. Two imports racing on one token make the loser's
    /// statement fail on the unique index, rolling back its grant too. The Privy token arrives sealed (`$6`), like the
    /// grant's own column; the token row gets a copy, as `saveRefreshToken` gives it.
    static let importGrant = PostgresStatement(name: "import_grant", sql: """
        WITH fresh AS (
          SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM oauth_refresh_tokens WHERE token = $8)
        ), new_grant AS (
          INSERT INTO oauth_grants (id, client_id, privy_user_id, scopes, resource, privy_access_token, created_at)
          SELECT $1, $2, $3, $4::text[], $5, $6, to_timestamp($7) FROM fresh
          RETURNING id
        )
        INSERT INTO oauth_refresh_tokens (token, grant_id, client_id, privy_user_id, scopes, privy_access_token,
                                          expires_at, created_at)
        SELECT $8, id, $2, $3, $9::text[], $6, to_timestamp($10), to_timestamp($11) FROM new_grant
        RETURNING 1
        """)

    public func importClient(_ client: OAuthClient) throws(StoreError) -> Bool {
        let params: [String?] = [client.id, client.name, PostgresParameter.textArray(client.redirectURIs),
                                 client.origin.rawValue, PostgresParameter.timestamp(client.createdAt)]
        return try perform("importClient", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.importClient, params: params).rowCount == 1
        }
    }

    /// `.never` retried: after a dropped connection the first attempt may have committed, and a
    /// retry would then report "already imported" for a token this call stored.
    public func importGrant(_ grant: Grant, refreshToken: RefreshToken) throws(StoreError) -> Bool {
        let sealed = try cipher.seal(grant.privyAccessToken)
        let params: [String?] = [
            grant.id, grant.clientID, grant.userID, PostgresParameter.textArray(grant.scopes), grant.resource, sealed,
            PostgresParameter.timestamp(grant.createdAt),
            refreshToken.tokenHash, PostgresParameter.textArray(refreshToken.scopes),
            PostgresParameter.timestamp(refreshToken.expiresAt), PostgresParameter.timestamp(refreshToken.createdAt),
        ]
        return try perform("importGrant", .never) { connection, _ throws(StoreError) in
            do throws(StoreError) {
                return try connection.execute(Self.importGrant, params: params).rowCount == 1
            } catch {
                guard case .conflict = error else { throw error }
                return false  // another import stored this token first
            }
        }
    }
}
