import Backend
import Foundation
import HTTPClient
import MCP
import MCPEndpoint
import Storage
import TestSupport
import Testing

/// What the items manifest's tools make of the user's API over HTTP: results, the re-auth path,
/// the manifest's error texts and clean tool errors for answers that cannot be used.
@Suite struct UpstreamToolResultTests {
    /// A live grant in a memory store, revoked through the same store call OAuthServer uses.
    private final class Grants: @unchecked Sendable {
        let store = MemoryStore()
        let caller = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1",
                            resource: "https://app.example.com/mcp", privyAccessToken: "privy-token-alice", requestID: "req-9")

        init() throws {
            let now = Date()
            let grant = Grant(id: caller.grantID, clientID: caller.clientID, userID: caller.userID, scopes: caller.scopes,
                              resource: "https://app.example.com/mcp", privyAccessToken: caller.privyAccessToken, createdAt: now)
            let code = AuthorizationCode(codeHash: "hash", grantID: grant.id, clientID: grant.clientID, redirectURI: "https://x.example/cb",
                                         codeChallenge: "c", scopes: grant.scopes, resource: grant.resource, userID: grant.userID,
                                         expiresAt: now.addingTimeInterval(60))
            try store.createGrant(grant, code: code)
        }

        var revoker: GrantRevoker {
            GrantRevoker { [store] caller in try store.revokeGrants(userID: caller.userID, clientID: caller.clientID, now: Date()) }
        }

        var isRevoked: Bool { (try? store.grant(id: caller.grantID))??.revokedAt != nil }
    }

    private func call(_ tool: ManifestTool, _ arguments: [String: Value] = [:], fake: FakeBackend, grants: Grants,
                      timeout: Double = 5) -> CallTool.Result {
        let context = ItemsManifestTools.context(api: ItemsManifestTools.transport(fake, timeout: timeout), caller: grants.caller,
                                                 revoker: grants.revoker)
        return tool.call(arguments, context: context)
    }

    private func text(_ result: CallTool.Result) -> String { ItemsManifestTools.text(result) }

    @Test func getItemsCarriesTheAPIsItems() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = call(ItemsManifestTools.getItems, fake: fake, grants: grants)
            #expect(result.isError == false)
            let items = result.structuredContent?.objectValue?["items"]?.arrayValue ?? []
            #expect(items.map { $0.objectValue?["id"]?.stringValue } == ["a/1", "b 2", "c.3"])
            // Fields the manifest does not name pass through untouched.
            #expect(items.first?.objectValue?["priority"] == .int(2))
            #expect(text(result) == "You have 3 items.")
            let seen = try fake.requests()
            #expect(seen.map { $0["method"] } == ["GET"])
            #expect(seen.first?["path"] == "/items")
            #expect(seen.first?["authorization"] == "Bearer privy-token-alice")
        }
    }

    @Test func itemActionPostsTheActionAndReturnsTheChangedItem() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = call(ItemsManifestTools.itemAction, ["item_id": "b 2", "action": "reopen"], fake: fake, grants: grants)
            #expect(result.isError == false)
            let item = result.structuredContent?.objectValue?["item"]?.objectValue
            #expect(item?["id"] == .string("b 2"))
            #expect(item?["status"] == .string("open"))
            #expect(text(result) == #"Applied reopen to "Call the bank"."#)
            // One call: the answer carries the changed item, no list is read again.
            let seen = try fake.requests()
            #expect(seen.map { $0["method"] } == ["POST"])
            #expect(seen.first?["path"] == "/items/b%202/actions")
            #expect(seen.first?["body"] == #"{"action":"reopen"}"#)
        }
    }

    /// The id is one path segment however it is spelled, so it cannot reach another route.
    @Test func itemIDWithASlashStaysOneSegment() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = call(ItemsManifestTools.itemAction, ["item_id": "a/1", "action": "complete"], fake: fake, grants: grants)
            #expect(result.structuredContent?.objectValue?["item"]?.objectValue?["status"] == .string("done"))
            #expect(try fake.requests().first?["path"] == "/items/a%2F1/actions")
        }
    }

    @Test func unknownItemIsTheManifestsErrorText() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = call(ItemsManifestTools.itemAction, ["item_id": "zzz", "action": "delete"], fake: fake, grants: grants)
            #expect(result.isError == true)
            #expect(text(result) == "No such item: zzz")
            #expect(result._meta?["mcp/www_authenticate"] == nil)
            #expect(!grants.isRevoked)
        }
    }

    @Test(arguments: ["unauthorized", "forbidden"])
    func rejectedPrivyTokenRevokesTheGrantAndAsksToSignIn(mode: String) throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: mode)
            let result = call(ItemsManifestTools.getItems, fake: fake, grants: grants)
            #expect(result.isError == true)
            let challenge = result._meta?["mcp/www_authenticate"]?.stringValue ?? ""
            #expect(challenge.hasPrefix("Bearer "))
            #expect(challenge.contains(#"resource_metadata="\#(ItemsManifestTools.metadataURL)""#))
            #expect(challenge.contains(#"error="invalid_token""#))
            #expect(challenge.contains("error_description=\""))
            #expect(grants.isRevoked)
            #expect(text(result).contains("Sign in again"))
            #expect(!text(result).contains("privy-token-alice"))
        }
    }

    /// Write tools follow the same rule: the item is not changed and the grant is gone.
    @Test func rejectedTokenOnAWriteToolAlsoRevokes() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: "unauthorized")
            let result = call(ItemsManifestTools.itemAction, ["item_id": "a/1", "action": "delete"], fake: fake, grants: grants)
            #expect(result._meta?["mcp/www_authenticate"]?.stringValue?.contains(#"error="invalid_token""#) == true)
            #expect(grants.isRevoked)
        }
    }

    /// None of these is the user's fault or a sign-in problem: a tool error that says what went
    /// wrong, no challenge, the grant kept.
    @Test(arguments: [
        (mode: "error", text: "The API answered HTTP 500."),
        (mode: "garbage", text: "Could not complete the request: the API gave an unusable answer: the body is not JSON. Try again in a moment."),
        (mode: "huge", text: "Could not complete the request: the API gave an unusable answer: the answer is larger than 1048576 bytes. Try again in a moment."),
        (mode: "redirect", text: "Could not complete the request: the API gave an unusable answer: HTTP 302 (redirects are not followed). Try again in a moment."),
    ])
    func brokenAnswersAreCleanToolErrors(mode: String, text expected: String) throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: mode)
            let result = call(ItemsManifestTools.getItems, fake: fake, grants: grants)
            #expect(result.isError == true)
            #expect(text(result) == expected)
            #expect(result.structuredContent == nil)
            #expect(result._meta?["mcp/www_authenticate"] == nil)
            #expect(!grants.isRevoked)
        }
    }

    @Test func slowAPIIsACleanToolErrorNamingTheTimeout() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: "slow", delay: 3)
            let result = call(ItemsManifestTools.itemAction, ["item_id": "a/1", "action": "complete"], fake: fake, grants: grants, timeout: 1)
            #expect(result.isError == true)
            #expect(text(result) == "Could not complete the request: the API is unavailable: no answer within 1 seconds. Try again in a moment.")
            #expect(!grants.isRevoked)
        }
    }

    @Test func unreachableAPIIsACleanToolError() throws {
        let grants = try Grants()
        let api = HTTPAPITransport(baseURL: "http://127.0.0.1:9", fetcher: CurlHTTPClient(), timeout: 2)
        let result = ItemsManifestTools.getItems.call([:], context: ItemsManifestTools.context(api: api, caller: grants.caller,
                                                                                               revoker: grants.revoker))
        #expect(result.isError == true)
        #expect(text(result) == "Could not complete the request: the API is unavailable: cannot connect. Try again in a moment.")
        #expect(!grants.isRevoked)
    }
}
