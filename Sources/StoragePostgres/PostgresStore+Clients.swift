import Foundation
import Storage

extension PostgresStore {
    static let selectClient = PostgresStatement(name: "select_client", sql: """
        SELECT \(RecordColumns.client("c")) FROM oauth_clients c WHERE c.id = $1
        """)

    public func client(id: String) throws(StoreError) -> OAuthClient? {
        try perform("client", .safe) { connection, _ throws(StoreError) in
            let result = try connection.execute(Self.selectClient, params: [id])
            return result.rowCount == 0 ? nil : try RecordColumns.decodeClient(result[0])
        }
    }

    /// An upsert replacing every column, like the memory store's assignment.
    public func saveClient(_ client: OAuthClient) throws(StoreError) {
        try perform("saveClient", .safe) { connection, _ throws(StoreError) in
            try connection.execute("""
                INSERT INTO oauth_clients (id, client_name, redirect_uris, redirect_uri_prefixes, grant_types,
                                           response_types, token_endpoint_auth_method, origin, created_at, last_used_at)
                VALUES ($1, $2, $3::text[], $4::text[], $5::text[], $6::text[], $7, $8, to_timestamp($9), to_timestamp($10))
                ON CONFLICT (id) DO UPDATE SET
                  client_name = EXCLUDED.client_name, redirect_uris = EXCLUDED.redirect_uris,
                  redirect_uri_prefixes = EXCLUDED.redirect_uri_prefixes, grant_types = EXCLUDED.grant_types,
                  response_types = EXCLUDED.response_types,
                  token_endpoint_auth_method = EXCLUDED.token_endpoint_auth_method,
                  origin = EXCLUDED.origin, created_at = EXCLUDED.created_at, last_used_at = EXCLUDED.last_used_at
                """, params: [
                    client.id, client.name, PostgresParameter.textArray(client.redirectURIs),
                    PostgresParameter.textArray(client.redirectURIPrefixes), PostgresParameter.textArray(client.grantTypes),
                    PostgresParameter.textArray(client.responseTypes), client.tokenEndpointAuthMethod,
                    client.origin.rawValue, PostgresParameter.timestamp(client.createdAt),
                    PostgresParameter.nullableTimestamp(client.lastUsedAt),
                ])
        }
    }

    /// Writes only when the stored time is a day old or unset, so most calls change no row.
    static let markClientUsed = PostgresStatement(name: "mark_client_used", sql: """
        UPDATE oauth_clients SET last_used_at = to_timestamp($2)
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= to_timestamp($2) - make_interval(secs => $3))
        """)

    public func markClientUsed(id: String, now: Date) throws(StoreError) {
        try perform("markClientUsed", .safe) { connection, _ throws(StoreError) in
            try connection.execute(Self.markClientUsed, params: [
                id, PostgresParameter.timestamp(now), String(Int(ClientRetention.useResolution)),
            ])
        }
    }
}
