import Crypto
import Foundation
import Storage
@testable import StoragePostgres
import Testing

/// The libpq wrapper on its own. The first group needs no server.
@Suite struct PostgresConnectionTests {
    @Test func settingsAddTimeoutsAndKeepWhatTheURLSays() throws {
        let url = try PostgresConnectionSettings(connectionString: "postgresql://app@db.example:5433/app?sslmode=require",
                                                 applicationName: "FCGIApp", statementTimeout: 5)
        let parameters = Dictionary(uniqueKeysWithValues: url.parameters.map { ($0.keyword, $0.value) })
        #expect(parameters["connect_timeout"] == "2")
        #expect(parameters["application_name"] == "FCGIApp")
        #expect(parameters["sslmode"] == "require")
        #expect(parameters["host"] == "db.example" && parameters["port"] == "5433" && parameters["dbname"] == "app")
        #expect(parameters["options"] == "-c statement_timeout=5000 -c TimeZone=UTC -c client_min_messages=warning")

        let keyValue = try PostgresConnectionSettings(
            connectionString: "host=/tmp dbname=x connect_timeout=7 application_name=mine options='-c search_path=s'")
        let explicit = Dictionary(uniqueKeysWithValues: keyValue.parameters.map { ($0.keyword, $0.value) })
        #expect(explicit["connect_timeout"] == "7" && explicit["application_name"] == "mine")
        #expect(explicit["options"] == "-c statement_timeout=5000 -c TimeZone=UTC -c client_min_messages=warning -c search_path=s")

        #expect(throws: PostgresSetupError.invalidConnectionString) {
            try PostgresConnectionSettings(connectionString: "postgresql://x?nonsense_option=1")
        }
    }

    @Test func storeRequiresA32ByteKey() {
        #expect(throws: PostgresSetupError.invalidEncryptionKey) {
            try PostgresStore(connectionString: "postgresql://localhost/x", tokenEncryptionKey: [1, 2, 3])
        }
    }

    @Test func textArrayLiteralQuotesEverything() {
        #expect(PostgresParameter.textArray([]) == "{}")
        #expect(PostgresParameter.textArray(["a", "b,c", #"q"uote"#, #"back\slash"#, "NULL"])
            == #"{"a","b,c","q\"uote","back\\slash","NULL"}"#)
    }

    @Test func failsFastWhileTheDatabaseIsDown() throws {
        // Nothing listens on port 1: every call is `.unavailable`, and quickly.
        let store = try PostgresStore(connectionString: "postgresql://postgres@127.0.0.1:1/none",
                                      tokenEncryptionKey: SecureRandom.bytes(32))
        let clock = ContinuousClock()
        let first = clock.measure {
            #expect(throws: StoreError.unavailable("cannot connect to the database")) { try store.client(id: "x") }
        }
        let second = clock.measure {
            #expect(throws: StoreError.self) { try store.redeemCode(hash: "h", now: Date()) }
        }
        #expect(first < .seconds(3))
        #expect(second < .milliseconds(500))
    }

    // MARK: With a server

    @Test(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
    func typedGettersReadTextResults() throws {
        let connection = try TestDatabase.admin()
        let row = try connection.execute("""
            SELECT $1::int, true, false, extract(epoch from to_timestamp($2)), array_to_json($3::text[])::text, NULL::text
            """, params: ["42", PostgresParameter.timestamp(Sample.t0 + 0.25),
                          PostgresParameter.textArray(["x", "y z", #"\"#])])[0]
        #expect(try row.int(0) == 42)
        #expect(try row.bool(1) && !(try row.bool(2)))
        #expect(try row.date(3) == Sample.t0 + 0.25)
        #expect(try row.textArray(4) == ["x", "y z", #"\"#])
        #expect(row.optionalString(5) == nil)
        #expect(throws: StoreError.self) { try row.string(5) }
    }

    @Test(.enabled(if: TestDatabase.isConfigured, TestDatabase.skipMessage))
    func statementTimeoutAndConflictsMapToStoreErrors() throws {
        let connection = try PostgresConnection(connectionString: try #require(TestDatabase.url), statementTimeout: 0.2)
        #expect(throws: StoreError.unavailable("statement timeout")) { try connection.execute("SELECT pg_sleep(3)") }
        #expect(try connection.execute("SELECT 1").rowCount == 1)  // still usable

        try connection.execute("CREATE TEMP TABLE t (id int PRIMARY KEY)")
        try connection.execute("INSERT INTO t VALUES (1)")
        #expect(throws: StoreError.conflict("unique constraint t_pkey")) { try connection.execute("INSERT INTO t VALUES (1)") }
        let settings = try connection.execute("SELECT current_setting('TimeZone'), current_setting('application_name')")[0]
        #expect(try settings.string(0) == "UTC" && settings.string(1) == "FCGIApp")
    }
}
