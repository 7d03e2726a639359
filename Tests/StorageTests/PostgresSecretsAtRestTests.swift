import Crypto
import Foundation
import Storage
import StoragePostgres
import Testing

/// A database dump must not hand out working codes, refresh tokens or Privy tokens.
@Suite(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
struct PostgresSecretsAtRestTests {
    @Test func rowsHoldHashesAndCiphertextOnly() throws {
        try withPostgres { fixture in
            let store = fixture.store
            let rawCode = SecureRandom.token()
            let rawRefresh = SecureRandom.token()
            let grant = Sample.grant()
            try store.createGrant(grant, code: Sample.code(for: grant, raw: rawCode))
            try store.saveRefreshToken(Sample.refreshToken(for: grant, raw: rawRefresh))
            try store.saveAccessSession(Sample.session(for: grant))
            #expect(try store.grant(id: grant.id)?.privyAccessToken == Sample.privyToken)

            let admin = try fixture.admin()
            #expect(try admin.execute("SELECT code_hash FROM oauth_authorization_codes")[0].string(0) == Sample.hash(rawCode))
            #expect(try admin.execute("SELECT token FROM oauth_refresh_tokens")[0].string(0) == Sample.hash(rawRefresh))

            for table in ["oauth_grants", "oauth_authorization_codes", "oauth_refresh_tokens", "oauth_access_token_sessions"] {
                for row in try admin.execute("SELECT r::text FROM \(table) AS r").rows {
                    let text = try row.string(0)
                    #expect(!text.contains(rawCode) && !text.contains(rawRefresh), "\(table) holds a raw token")
                    #expect(!text.contains(Sample.privyToken), "\(table) holds the Privy token in plaintext")
                }
            }

            // Every privy_access_token is the grant's AES-256-GCM box, base64.
            let ciphertexts = try admin.execute("""
                SELECT privy_access_token FROM oauth_grants
                UNION ALL SELECT privy_access_token FROM oauth_refresh_tokens
                UNION ALL SELECT privy_access_token FROM oauth_access_token_sessions
                """).rows.map { try $0.string(0) }
            #expect(ciphertexts.count == 3 && Set(ciphertexts).count == 1)
            let sealed = try #require(Data(base64Encoded: ciphertexts[0]))
            #expect(try AESGCM.open(Array(sealed), key: TestDatabase.key) == Array(Sample.privyToken.utf8))
        }
    }

    /// The Privy token stays unreadable, and the grant reads as revoked so its tokens fail as
    /// invalid (users sign in again) rather than as a storage outage retried for 30 days.
    @Test func aStoreWithAnotherKeyCannotReadPrivyTokens() throws {
        try withPostgres { fixture in
            let (grant, _) = try Sample.storedGrant(fixture.store)
            let other = try PostgresStore(connectionString: fixture.url, tokenEncryptionKey: SecureRandom.bytes(32))
            let seen = try #require(try other.grant(id: grant.id))
            #expect(seen.privyAccessToken.isEmpty)
            #expect(seen.revokedAt != nil)
        }
    }
}
