import Foundation
import Storage
import StoragePostgres
import Testing

@Suite(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
struct PostgresMigrationTests {
    @Test func migratingTwiceAppliesNothingTheSecondTime() throws {
        try withPostgres(migrate: false) { fixture in
            #expect(try PostgresMigrator.migrate(connectionString: fixture.url) == PostgresMigrations.all.map(\.version))
            #expect(try PostgresMigrator.migrate(connectionString: fixture.url) == [])
            let rows = try fixture.admin().execute("SELECT version, name FROM schema_migrations ORDER BY version").rows
            #expect(try rows.map { try $0.int(0) } == PostgresMigrations.all.map(\.version))
        }
    }

    /// A database created by the original system: its three tables and rows, no history.
    @Test func upgradesTheOriginalSchema() throws {
        try withPostgres(migrate: false) { fixture in
            let admin = try fixture.admin()
            #expect(try PostgresMigrator.migrate(connection: admin, upTo: 1) == [1])
            try admin.execute("DROP TABLE schema_migrations")  // as the original system left it
            try admin.execute("""
                INSERT INTO oauth_clients (id, client_name, redirect_uris) VALUES ('client_old', 'Old', '{https://old.example/cb}')
                """)
            try admin.execute("""
                INSERT INTO oauth_refresh_tokens (token, client_id, privy_user_id, scopes, privy_access_token, expires_at)
                VALUES ('legacy-token', 'client_old', 'did:privy:old', '{openid}', 'legacy-privy', now() + interval '1 day')
                """)

            #expect(try PostgresMigrator.migrate(connectionString: fixture.url) == PostgresMigrations.all.map(\.version))
            let client = try #require(try fixture.store.client(id: "client_old"))
            #expect(client.redirectURIs == ["https://old.example/cb"])
            #expect(client.origin == .registered && client.grantTypes == ["authorization_code", "refresh_token"])
            // Legacy tokens belong to no grant: never honoured, and marked revoked.
            #expect(try fixture.store.refreshToken(hash: "legacy-token") == nil)
            let revoked = try admin.execute("SELECT revoked_at IS NOT NULL FROM oauth_refresh_tokens WHERE token = 'legacy-token'")
            #expect(try revoked[0].bool(0))
            // The original indexes are still there.
            let indexes = try admin.execute("""
                SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN
                  ('oauth_refresh_tokens_token_idx', 'oauth_refresh_tokens_user_client_idx', 'oauth_access_token_sessions_jti_idx')
                """)
            #expect(try indexes[0].int(0) == 3)
        }
    }

    @Test func refusesASchemaNewerThanThisBuild() throws {
        try withPostgres { fixture in
            try fixture.admin().execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')")
            let error = #expect(throws: PostgresSetupError.self) { try PostgresMigrator.migrate(connectionString: fixture.url) }
            #expect(error == .schemaTooNew(found: 9999, supported: PostgresMigrations.latestVersion))
            #expect(error?.description ==
                "database schema version 9999 is newer than this build supports (\(PostgresMigrations.latestVersion)); upgrade FCGIApp")
        }
    }
}
