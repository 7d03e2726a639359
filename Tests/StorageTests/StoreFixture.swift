import Crypto
import Foundation
import Storage
@testable import StoragePostgres
import Testing

/// The stores the contract suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, postgres

    var testDescription: String { rawValue }

    /// The contract's arguments: PostgreSQL only with TEST_DATABASE_URL. (Cancelling a single
    /// parameterized case is reported as a pass in Swift Testing 6.3, so the case is left out
    /// instead, and `StoreContractTests.postgresCases` reports the skip.)
    static var available: [StoreKind] { TestDatabase.isConfigured ? allCases : [.memory] }
}

/// Where the PostgreSQL cases connect; unset means they are skipped.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isConfigured: Bool { url != nil }
    static let skipMessage: Comment =
        "TEST_DATABASE_URL is not set: PostgreSQL cases skipped. Run `scripts/test-postgres.sh start DIR` and export the URL it prints."

    static let key = SecureRandom.bytes(32)

    /// A schema of its own per test, so tests can run in parallel on one database.
    static func makeSchema() throws -> String {
        let schema = "storage_test_" + Base64URL.encode(SecureRandom.bytes(9)).lowercased()
            .replacingOccurrences(of: "-", with: "x").replacingOccurrences(of: "_", with: "y")
        try admin().execute("CREATE SCHEMA \(schema)")
        return schema
    }

    static func dropSchema(_ schema: String) {
        _ = try? admin().execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
    }

    /// The test URL with `search_path` pinned to `schema` (libpq URI query parameter).
    static func url(schema: String) -> String {
        let base = url!
        let separator = base.contains("?") ? "&" : "?"
        return base + separator + "options=-c%20search_path%3D" + schema
    }

    /// A plain connection outside any store, for setup and for inspecting raw rows.
    static func admin(schema: String? = nil) throws -> PostgresConnection {
        try PostgresConnection(connectionString: schema.map { url(schema: $0) } ?? url!, applicationName: "StorageTests admin")
    }
}

/// A migrated, empty PostgreSQL schema and a store on it; `close()` drops the schema.
final class PostgresFixture {
    let schema: String
    let url: String
    let store: PostgresStore

    init(migrate: Bool = true) throws {
        schema = try TestDatabase.makeSchema()
        url = TestDatabase.url(schema: schema)
        if migrate { _ = try PostgresMigrator.migrate(connectionString: url) }
        store = try PostgresStore(connectionString: url, tokenEncryptionKey: TestDatabase.key, applicationName: "StorageTests")
    }

    func makeStore() throws -> PostgresStore {
        try PostgresStore(connectionString: url, tokenEncryptionKey: TestDatabase.key, applicationName: "StorageTests")
    }

    func admin() throws -> PostgresConnection { try TestDatabase.admin(schema: schema) }

    func close() { TestDatabase.dropSchema(schema) }
}

/// Runs `body` against a fresh store of `kind`.
func withStore(_ kind: StoreKind, _ body: (any AppStore) throws -> Void) throws {
    switch kind {
    case .memory:
        try body(MemoryStore())
    case .postgres:
        try #require(TestDatabase.isConfigured, TestDatabase.skipMessage)
        let fixture = try PostgresFixture()
        defer { fixture.close() }
        try body(fixture.store)
    }
}

/// Runs `body` on a fresh PostgreSQL fixture (for PostgreSQL-only tests, already gated on
/// TEST_DATABASE_URL by their trait).
func withPostgres(migrate: Bool = true, _ body: (PostgresFixture) throws -> Void) throws {
    let fixture = try PostgresFixture(migrate: migrate)
    defer { fixture.close() }
    try body(fixture)
}
