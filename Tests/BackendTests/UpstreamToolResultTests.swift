import Backend
import Foundation
import HTTPClient
import MCP
@testable import MCPEndpoint
import Storage
import TestSupport
import Testing

/// What the tools make of the user's API: results, the re-auth path, and clean tool errors.
/// Tools are called directly (they are synchronous and run on the caller's thread).
@Suite struct UpstreamToolResultTests {
    static let metadataURL = "https://app.example.com/.well-known/oauth-protected-resource/mcp"

    /// A live grant in a memory store, revoked through the same store call OAuthServer uses.
    private final class Grants: @unchecked Sendable {
        let store = MemoryStore()
        let caller = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1", resource: "https://app.example.com/mcp",
                               privyAccessToken: "privy-token-alice", requestID: "req-9")

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

    private func context(_ fake: FakeBackend, grants: Grants, timeout: Double = 5) -> ToolContext {
        let backend = HTTPItemsBackend(baseURL: fake.baseURL, fetcher: CurlHTTPClient(), timeout: timeout, connectTimeout: 2)
        let core = EndpointCore(info: .init(name: "t", version: "1", title: "t", instructions: ""), tools: [],
                                widgets: WidgetCatalog(directory: "/nonexistent"), backend: backend, revoker: grants.revoker,
                                resourceMetadataURL: Self.metadataURL)
        return ToolContext(core: core, caller: grants.caller)
    }

    private func text(_ result: CallTool.Result) -> String {
        guard case .text(let text, _, _)? = result.content.first else { return "" }
        return text
    }

    @Test func getItemsCarriesTheAPIsItems() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = GetItemsTool().call([:], context: context(fake, grants: grants))
            #expect(result.isError == false)
            let items = result.structuredContent?.objectValue?["items"]?.arrayValue ?? []
            #expect(items.map { $0.objectValue?["id"]?.stringValue } == ["a/1", "b 2", "c.3"])
            #expect(items.first?.objectValue?["priority"] == .int(2))
            #expect(try fake.requests().first?["authorization"] == "Bearer privy-token-alice")
        }
    }

    @Test func itemActionPostsAndReturnsTheNewList() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = ItemActionTool().call(["item_id": "b 2", "action": "reopen"], context: context(fake, grants: grants))
            #expect(result.isError == false)
            #expect(result.structuredContent?.objectValue?["item"]?.objectValue?["status"] == .string("open"))
            #expect(result.structuredContent?.objectValue?["items"]?.arrayValue?.count == 3)
            let seen = try fake.requests()
            #expect(seen.map { $0["method"] } == ["POST", "GET"])
            #expect(seen[0]["path"] == "/items/b%202/actions")
        }
    }

    @Test func unknownItemIsAToolError() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            let result = ItemActionTool().call(["item_id": "zzz", "action": "delete"], context: context(fake, grants: grants))
            #expect(result.isError == true)
            #expect(text(result) == "No such item: zzz")
            #expect(!grants.isRevoked)
        }
    }

    @Test(arguments: ["unauthorized", "forbidden"])
    func rejectedPrivyTokenRevokesTheGrantAndAsksToSignIn(mode: String) throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: mode)
            let result = GetItemsTool().call([:], context: context(fake, grants: grants))
            #expect(result.isError == true)
            let challenge = result._meta?["mcp/www_authenticate"]?.stringValue ?? ""
            #expect(challenge.hasPrefix("Bearer "))
            #expect(challenge.contains(#"resource_metadata="\#(Self.metadataURL)""#))
            #expect(challenge.contains(#"error="invalid_token""#))
            #expect(challenge.contains("error_description=\""))
            #expect(grants.isRevoked)
            #expect(!text(result).contains("privy-token-alice"))
        }
    }

    @Test(arguments: [("error", "HTTP 500"), ("garbage", "not JSON"), ("huge", "larger than")])
    func brokenAnswersAreCleanToolErrors(mode: String, mention: String) throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: mode)
            let result = GetItemsTool().call([:], context: context(fake, grants: grants))
            #expect(result.isError == true)
            #expect(text(result).contains(mention), "\(text(result))")
            #expect(result._meta?["mcp/www_authenticate"] == nil)
            #expect(!grants.isRevoked)
        }
    }

    @Test func slowAPIIsACleanToolError() throws {
        try withFakeBackend { fake in
            let grants = try Grants()
            try fake.set(mode: "slow", delay: 3)
            let result = ItemActionTool().call(["item_id": "a/1", "action": "complete"], context: context(fake, grants: grants, timeout: 1))
            #expect(result.isError == true)
            #expect(text(result).contains("no answer within 1 seconds"))
            #expect(!grants.isRevoked)
        }
    }
}
