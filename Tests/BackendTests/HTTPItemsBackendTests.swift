import Backend
import Foundation
import HTTPClient
import Storage
import TestSupport
import Testing

/// The client for the user's API against a fake API on 127.0.0.1.
@Suite struct HTTPItemsBackendTests {
    static let alice = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1", resource: "https://app.example.com/mcp", privyAccessToken: "privy-token-alice")

    private func backend(_ fake: FakeBackend, timeout: Double = 5) -> HTTPItemsBackend {
        HTTPItemsBackend(baseURL: fake.baseURL + "/", fetcher: CurlHTTPClient(), timeout: timeout, connectTimeout: 2)
    }

    @Test func listSendsThePrivyTokenAndParsesItems() throws {
        try withFakeBackend { fake in
            let items = try backend(fake).items(for: Self.alice)
            #expect(items.map(\.id) == ["a/1", "b 2", "c.3"])
            #expect(items[0].title == "Write the report")
            #expect(items[0].status == "open")
            #expect(items[0].otherFields["priority"] == .int(2))
            #expect(items[0].jsonObject["priority"] == .int(2))
            let seen = try fake.requests()
            #expect(seen.count == 1)
            #expect(seen[0]["method"] == "GET")
            #expect(seen[0]["path"] == "/items")
            #expect(seen[0]["authorization"] == "Bearer privy-token-alice")
        }
    }

    @Test func actionIsPostedWithAnEncodedID() throws {
        try withFakeBackend { fake in
            let item = try backend(fake).perform(.complete, itemID: "a/1", for: Self.alice)
            #expect(item.id == "a/1")
            #expect(item.status == "done")
            let deleted = try backend(fake).perform(.delete, itemID: "c.3", for: Self.alice)
            #expect(deleted.id == "c.3")
            #expect(try backend(fake).items(for: Self.alice).map(\.id) == ["a/1", "b 2"])
            let seen = try fake.requests()
            #expect(seen[0]["method"] == "POST")
            #expect(seen[0]["path"] == "/items/a%2F1/actions")
            #expect(seen[0]["body"] == #"{"action":"complete"}"#)
            #expect(seen[0]["authorization"] == "Bearer privy-token-alice")
            #expect(seen[1]["path"] == "/items/c%2E3/actions")
        }
    }

    @Test func unknownItemIsNotFound() throws {
        try withFakeBackend { fake in
            #expect(throws: BackendError.notFound(itemID: "../admin")) {
                try backend(fake).perform(.reopen, itemID: "../admin", for: Self.alice)
            }
            let path = try fake.requests().first?["path"]
            #expect(path == "/items/%2E%2E%2Fadmin/actions")
        }
    }

    @Test(arguments: [("unauthorized", 401), ("forbidden", 403)])
    func rejectedTokenIsUnauthorized(mode: String, status: Int) throws {
        try withFakeBackend { fake in
            try fake.set(mode: mode)
            #expect(throws: BackendError.unauthorized(status: status)) { try backend(fake).items(for: Self.alice) }
            #expect(throws: BackendError.unauthorized(status: status)) { try backend(fake).perform(.complete, itemID: "a/1", for: Self.alice) }
        }
    }

    @Test(arguments: ["error", "garbage", "huge", "redirect"])
    func unusableAnswersAreBadResponses(mode: String) throws {
        try withFakeBackend { fake in
            try fake.set(mode: mode)
            do throws(BackendError) {
                _ = try backend(fake).items(for: Self.alice)
                Issue.record("expected an error")
            } catch {
                guard case .badResponse = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test func slowAPITimesOut() throws {
        try withFakeBackend { fake in
            try fake.set(mode: "slow", delay: 3)
            let start = Date()
            #expect(throws: BackendError.unavailable("no answer within 1 seconds")) { try backend(fake, timeout: 1).items(for: Self.alice) }
            #expect(Date().timeIntervalSince(start) < 2.5)
        }
    }

    @Test func closedPortIsUnavailable() {
        let backend = HTTPItemsBackend(baseURL: "http://127.0.0.1:9", fetcher: CurlHTTPClient(), timeout: 2)
        #expect(throws: BackendError.unavailable("cannot connect")) { try backend.items(for: Self.alice) }
    }
}
