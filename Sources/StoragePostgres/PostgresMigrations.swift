/// One schema change, applied once and recorded in `schema_migrations`.
public struct PostgresMigration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
}

/// The schema, oldest first. Never edit a migration that has shipped: add a new one.
public enum PostgresMigrations {
    public static let all: [PostgresMigration] = [originalTables, grantsAndCodes, demoItems, clientLastUse, callCounts]

    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// The original system's tables, exactly as its README creates them. IF NOT EXISTS lets a
    /// database that already has them (from the original system) adopt this history.
    static let originalTables = PostgresMigration(version: 1, name: "original oauth tables", sql: """
        CREATE TABLE IF NOT EXISTS oauth_clients (
          id TEXT PRIMARY KEY,
          client_name TEXT,
          redirect_uris TEXT[] NOT NULL,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );

        CREATE TABLE IF NOT EXISTS oauth_refresh_tokens (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          token TEXT NOT NULL,
          client_id TEXT NOT NULL,
          privy_user_id TEXT NOT NULL,
          scopes TEXT[] NOT NULL,
          privy_access_token TEXT NOT NULL,
          expires_at TIMESTAMPTZ NOT NULL,
          revoked_at TIMESTAMPTZ,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );

        CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_token_idx ON oauth_refresh_tokens (token);
        CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_user_client_idx ON oauth_refresh_tokens (privy_user_id, client_id);

        CREATE TABLE IF NOT EXISTS oauth_access_token_sessions (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          jti TEXT NOT NULL UNIQUE,
          client_id TEXT NOT NULL,
          privy_user_id TEXT NOT NULL,
          scopes TEXT[] NOT NULL,
          privy_access_token TEXT NOT NULL,
          expires_at TIMESTAMPTZ NOT NULL,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );

        CREATE INDEX IF NOT EXISTS oauth_access_token_sessions_jti_idx ON oauth_access_token_sessions (jti);
        """)

    /// What correctness needs on top: grants (the family a consent produces, revoked as one),
    /// single-use codes, rotation state, client metadata. `redeemed_by` and `replaced_by` let a
    /// caller whose connection dropped mid-statement find out whether its own attempt committed.
    static let grantsAndCodes = PostgresMigration(version: 2, name: "grants, authorization codes, rotation", sql: """
        ALTER TABLE oauth_clients
          ADD COLUMN IF NOT EXISTS redirect_uri_prefixes TEXT[] NOT NULL DEFAULT '{}',
          ADD COLUMN IF NOT EXISTS grant_types TEXT[] NOT NULL DEFAULT '{authorization_code,refresh_token}',
          ADD COLUMN IF NOT EXISTS response_types TEXT[] NOT NULL DEFAULT '{code}',
          ADD COLUMN IF NOT EXISTS token_endpoint_auth_method TEXT NOT NULL DEFAULT 'none',
          ADD COLUMN IF NOT EXISTS origin TEXT NOT NULL DEFAULT 'dcr';

        CREATE TABLE IF NOT EXISTS oauth_grants (
          id TEXT PRIMARY KEY,
          client_id TEXT NOT NULL,
          privy_user_id TEXT NOT NULL,
          scopes TEXT[] NOT NULL,
          resource TEXT NOT NULL,
          privy_access_token TEXT NOT NULL,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          revoked_at TIMESTAMPTZ
        );
        CREATE INDEX IF NOT EXISTS oauth_grants_user_client_idx ON oauth_grants (privy_user_id, client_id);
        CREATE INDEX IF NOT EXISTS oauth_grants_created_at_idx ON oauth_grants (created_at);

        CREATE TABLE IF NOT EXISTS oauth_authorization_codes (
          code_hash TEXT PRIMARY KEY,
          grant_id TEXT NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
          client_id TEXT NOT NULL,
          redirect_uri TEXT NOT NULL,
          code_challenge TEXT NOT NULL,
          scopes TEXT[] NOT NULL,
          resource TEXT NOT NULL,
          privy_user_id TEXT NOT NULL,
          expires_at TIMESTAMPTZ NOT NULL,
          used_at TIMESTAMPTZ,
          redeemed_by TEXT,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );
        CREATE INDEX IF NOT EXISTS oauth_authorization_codes_grant_idx ON oauth_authorization_codes (grant_id);
        CREATE INDEX IF NOT EXISTS oauth_authorization_codes_expires_idx ON oauth_authorization_codes (expires_at);

        ALTER TABLE oauth_refresh_tokens
          ADD COLUMN IF NOT EXISTS grant_id TEXT REFERENCES oauth_grants (id) ON DELETE CASCADE,
          ADD COLUMN IF NOT EXISTS used_at TIMESTAMPTZ,
          ADD COLUMN IF NOT EXISTS replaced_by TEXT;
        CREATE UNIQUE INDEX IF NOT EXISTS oauth_refresh_tokens_token_key ON oauth_refresh_tokens (token);
        CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_grant_idx ON oauth_refresh_tokens (grant_id);
        CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_expires_idx ON oauth_refresh_tokens (expires_at);

        ALTER TABLE oauth_access_token_sessions
          ADD COLUMN IF NOT EXISTS grant_id TEXT REFERENCES oauth_grants (id) ON DELETE CASCADE,
          ADD COLUMN IF NOT EXISTS revoked_at TIMESTAMPTZ;
        CREATE INDEX IF NOT EXISTS oauth_access_token_sessions_grant_idx ON oauth_access_token_sessions (grant_id);
        CREATE INDEX IF NOT EXISTS oauth_access_token_sessions_expires_idx ON oauth_access_token_sessions (expires_at);

        -- Rows of the original system belong to no grant, so this build cannot honour them
        -- (the store ignores them); mark them revoked so nobody mistakes them for live tokens.
        UPDATE oauth_refresh_tokens SET revoked_at = NOW() WHERE grant_id IS NULL AND revoked_at IS NULL;
        """)

    /// The built-in demo API's items. `demo_item_owners` remembers who was given the samples, so
    /// a user who deletes them all does not get them back.
    static let demoItems = PostgresMigration(version: 3, name: "demo items", sql: """
        CREATE TABLE IF NOT EXISTS demo_item_owners (
          privy_user_id TEXT PRIMARY KEY,
          seeded_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        );

        CREATE TABLE IF NOT EXISTS demo_items (
          privy_user_id TEXT NOT NULL,
          id TEXT NOT NULL,
          title TEXT NOT NULL,
          status TEXT NOT NULL,
          created_at TIMESTAMPTZ NOT NULL,
          position INTEGER NOT NULL,
          PRIMARY KEY (privy_user_id, id)
        );
        """)

    /// When each client last obtained a token, so the janitor can delete registrations that were
    /// never or are no longer used (`ClientRetention`); the grants index serves its "no grant
    /// refers to this client" test.
    static let clientLastUse = PostgresMigration(version: 4, name: "client last use", sql: """
        ALTER TABLE oauth_clients ADD COLUMN IF NOT EXISTS last_used_at TIMESTAMPTZ;
        CREATE INDEX IF NOT EXISTS oauth_clients_never_used_idx ON oauth_clients (created_at)
          WHERE origin = 'dcr' AND last_used_at IS NULL;
        CREATE INDEX IF NOT EXISTS oauth_clients_last_used_idx ON oauth_clients (last_used_at) WHERE origin = 'dcr';
        CREATE INDEX IF NOT EXISTS oauth_grants_client_idx ON oauth_grants (client_id);
        """)

    /// Per-user call budgets: one row per bucket and minute, which every request adds to
    /// (`PostgresStore+CallCounts.swift`). UNLOGGED: the counts are worth a minute, so they skip
    /// the write-ahead log (cheaper on the request path); a crash or a failover empties the
    /// table, which only gives everyone a fresh minute. The janitor deletes past windows.
    static let callCounts = PostgresMigration(version: 5, name: "per-user call counts", sql: """
        CREATE UNLOGGED TABLE IF NOT EXISTS call_counts (
          bucket TEXT NOT NULL,
          window_start TIMESTAMPTZ NOT NULL,
          calls INTEGER NOT NULL,
          PRIMARY KEY (bucket, window_start)
        );
        CREATE INDEX IF NOT EXISTS call_counts_window_start_idx ON call_counts (window_start);
        """)
}
