import Crypto
import Foundation
import HTTPClient
import Privy
import TestSupport
import Testing

/// PrivyUserLookup against a local stand-in for api.privy.io.
@Suite struct UserLookupTests {
    private static let appID = "app-123"
    private static let secret = "s3cr3t"
    private static let userID = "did:privy:cm0user"
    private static var expectedAuthorization: String {
        "Basic " + Data("\(appID):\(secret)".utf8).base64EncodedString()
    }

    private func record(_ accounts: [JSONObject], id: String = userID) -> JSONObject {
        ["id": id, "created_at": 1_700_000_000, "linked_accounts": accounts, "mfa_methods": [], "is_guest": false]
    }

    private func lookup(_ server: PrivyTestServer, secret: String = secret, timeout: Double = 2) -> PrivyUserLookup {
        PrivyUserLookup(appID: Self.appID, appSecret: secret, fetcher: CurlHTTPClient(), apiBaseURL: server.baseURL, timeout: timeout)
    }

    private func serve(_ server: PrivyTestServer, _ record: JSONObject, mode: String = "ok") throws {
        try server.configure([
            "users": [Self.userID: record], "users_mode": mode,
            "auth": Self.expectedAuthorization, "app_id": Self.appID,
        ])
    }

    @Test func emailFromLinkedAccounts() throws {
        try withPrivyTestServer { server in
            try serve(server, record([
                ["type": "wallet", "address": "0xabc", "chain_type": "ethereum"],
                ["type": "google_oauth", "subject": "1", "email": "alice@gmail.com", "name": "Alice"],
                ["type": "email", "address": "alice@example.com", "verified_at": 1_700_000_000],
            ]))
            #expect(lookup(server).email(userID: Self.userID) == "alice@example.com")
            // The colons were percent-encoded in the path (RFC 3986 §2.1).
            #expect(try server.hits("/v1/users/did%3Aprivy%3Acm0user") == 1)
        }
    }

    @Test func oauthEmailWhenNoEmailAccount() throws {
        try withPrivyTestServer { server in
            try serve(server, record([
                ["type": "wallet", "address": "0xabc"],
                ["type": "apple_oauth", "subject": "2", "email": "bob@privaterelay.appleid.com"],
            ]))
            #expect(lookup(server).email(userID: Self.userID) == "bob@privaterelay.appleid.com")
        }
    }

    @Test func nilWithoutEmailAccount() throws {
        try withPrivyTestServer { server in
            try serve(server, record([["type": "wallet", "address": "0xabc"], ["type": "farcaster", "fid": 1]]))
            #expect(lookup(server).email(userID: Self.userID) == nil)
        }
    }

    /// The server insists on Basic app-id:app-secret; a wrong secret gets 401, so nil.
    @Test func wrongSecretGivesNil() throws {
        try withPrivyTestServer { server in
            try serve(server, record([["type": "email", "address": "alice@example.com"]]))
            #expect(lookup(server, secret: "wrong").email(userID: Self.userID) == nil)
            #expect(lookup(server).email(userID: Self.userID) == "alice@example.com")
        }
    }

    @Test(arguments: ["fail", "badjson"])
    func serverErrorsGiveNil(_ mode: String) throws {
        try withPrivyTestServer { server in
            try serve(server, record([["type": "email", "address": "alice@example.com"]]), mode: mode)
            #expect(lookup(server).email(userID: Self.userID) == nil)
        }
    }

    @Test func timeoutGivesNilQuickly() throws {
        try withPrivyTestServer { server in
            try serve(server, record([["type": "email", "address": "alice@example.com"]]), mode: "hang")
            let started = Date()
            #expect(lookup(server, timeout: 0.5).email(userID: Self.userID) == nil)
            #expect(Date().timeIntervalSince(started) < 2)
        }
    }

    @Test func unknownUserAndRecordForSomeoneElseGiveNil() throws {
        try withPrivyTestServer { server in
            try serve(server, record([["type": "email", "address": "eve@example.com"]], id: "did:privy:someone-else"))
            #expect(lookup(server).email(userID: Self.userID) == nil)
            #expect(lookup(server).email(userID: "did:privy:nobody") == nil)
            #expect(lookup(server).email(userID: "not-a-did") == nil)
        }
    }

    @Test func unreachableServerGivesNil() throws {
        let url = try withPrivyTestServer { server in server.baseURL }
        let lookup = PrivyUserLookup(appID: Self.appID, appSecret: Self.secret, fetcher: CurlHTTPClient(), apiBaseURL: url)
        #expect(lookup.email(userID: Self.userID) == nil)
    }
}
