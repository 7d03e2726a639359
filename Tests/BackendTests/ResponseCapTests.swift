import Backend
import Foundation
import HTTPClient
import MCP
@testable import MCPEndpoint
import Storage
import TestSupport
import Testing

/// BACKEND_MAX_RESPONSE_BYTES: an answer from the user's API larger than the configured cap is
/// never read whole; the tool call ends in a clear tool error naming the cap.
@Suite struct ResponseCapTests {
    static let caller = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1", resource: "https://app.example.com/mcp",
                                  privyAccessToken: "privy-token-alice", requestID: "req-1")

    private func context(_ fake: FakeBackend, maxResponseBytes: Int) -> ToolContext {
        let backend = HTTPItemsBackend(baseURL: fake.baseURL, fetcher: CurlHTTPClient(), timeout: 5, connectTimeout: 2,
                                       maxResponseBytes: maxResponseBytes)
        let core = EndpointCore(info: .init(name: "t", version: "1", title: "t", instructions: ""), tools: [],
                                widgets: WidgetCatalog(directory: "/nonexistent") { _ in }, backend: backend,
                                revoker: GrantRevoker { _ in }, resourceMetadataURL: "https://app.example.com/.well-known/oauth-protected-resource/mcp")
        return ToolContext(core: core, caller: Self.caller)
    }

    private func text(_ result: CallTool.Result) -> String {
        guard case .text(let text, _, _)? = result.content.first else { return "" }
        return text
    }

    /// The fake API's ordinary item list is a few hundred bytes: a 64-byte cap is exceeded.
    @Test func answerAboveTheCapIsAClearToolError() throws {
        try withFakeBackend { fake in
            let result = GetItemsTool().call([:], context: context(fake, maxResponseBytes: 64))
            #expect(result.isError == true)
            #expect(text(result).contains("larger than 64 bytes"), "\(text(result))")
            #expect(result._meta?["mcp/www_authenticate"] == nil)
        }
    }

    @Test func sameAnswerWithinTheCapIsUsed() throws {
        try withFakeBackend { fake in
            let result = GetItemsTool().call([:], context: context(fake, maxResponseBytes: 64 * 1024))
            #expect(result.isError == false)
            #expect(result.structuredContent?.objectValue?["items"]?.arrayValue?.count == 3)
        }
    }

    @Test func backendReportsTheCapItWasGiven() throws {
        try withFakeBackend { fake in
            let backend = HTTPItemsBackend(baseURL: fake.baseURL, fetcher: CurlHTTPClient(), timeout: 5, connectTimeout: 2,
                                           maxResponseBytes: 100)
            #expect(throws: BackendError.badResponse("the answer is larger than 100 bytes")) {
                try backend.items(for: Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1", resource: "https://app.example.com/mcp", privyAccessToken: "t"))
            }
        }
    }
}
