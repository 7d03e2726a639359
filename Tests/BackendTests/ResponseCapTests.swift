import Backend
import Foundation
import HTTPClient
import MCP
import MCPEndpoint
import Storage
import TestSupport
import Testing

/// BACKEND_MAX_RESPONSE_BYTES: an answer from the user's API larger than the configured cap is
/// never read whole; the tool call ends in a clear tool error naming the cap.
@Suite struct ResponseCapTests {
    static let caller = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1",
                               resource: "https://app.example.com/mcp", privyAccessToken: "privy-token-alice", requestID: "req-1")

    private func getItems(_ fake: FakeBackend, maxResponseBytes: Int) -> CallTool.Result {
        let api = ItemsManifestTools.transport(fake, maxResponseBytes: maxResponseBytes)
        return ItemsManifestTools.getItems.call([:], context: ItemsManifestTools.context(api: api, caller: Self.caller))
    }

    /// The fake API's ordinary item list is a few hundred bytes: a 64-byte cap is exceeded.
    @Test func answerAboveTheCapIsAClearToolError() throws {
        try withFakeBackend { fake in
            let result = getItems(fake, maxResponseBytes: 64)
            let text = ItemsManifestTools.text(result)
            #expect(result.isError == true)
            #expect(text.contains("larger than 64 bytes"), "\(text)")
            #expect(result._meta?["mcp/www_authenticate"] == nil)
        }
    }

    @Test func sameAnswerWithinTheCapIsUsed() throws {
        try withFakeBackend { fake in
            let result = getItems(fake, maxResponseBytes: 64 * 1024)
            #expect(result.isError == false)
            #expect(result.structuredContent?.objectValue?["items"]?.arrayValue?.count == 3)
        }
    }

    @Test func transportReportsTheCapItWasGiven() throws {
        try withFakeBackend { fake in
            _ = #expect(throws: APIError.badResponse("the answer is larger than 100 bytes")) {
                try ItemsManifestTools.transport(fake, maxResponseBytes: 100).send(APIRequest(method: "GET", target: "/items"), for: Self.caller)
            }
        }
    }
}
