import Foundation
import HTTPMessages
import MCPEndpoint
import Testing

/// A token without a tool's scope: ChatGPT gets its documented tool result with
/// `_meta["mcp/www_authenticate"]`; every other client the HTTP 403 `insufficient_scope` the MCP
/// authorization spec and RFC 6750 §3.1 describe. Both name every scope of the app.
@Suite struct StepUpTests {
    static let reader = Harness.caller(scopes: ["read"])
    static let call = #"{"jsonrpc":"2.0","id":"c1","method":"tools/call","params":{"name":"item-action","arguments":{"item_id":"item-1","action":"complete"}}}"#
    static let expectedChallenge = #"Bearer resource_metadata="https://app.example.com/.well-known/oauth-protected-resource/mcp", "#
        + #"error="insufficient_scope", error_description="This action needs the 'write' permission; reconnect the app to grant it", "#
        + #"scope="read write""#

    @Test func aStandardClientGetsAnHTTP403NamingEveryScope() async {
        let harness = Harness(isChatGPT: { _ in false })
        let response = await harness.post(Self.call, headers: [("MCP-Protocol-Version", "2025-06-18")], caller: Self.reader)
        #expect(response.status == 403)
        #expect(response.headers["WWW-Authenticate"] == Self.expectedChallenge)
        let body = JSON(bytes: response.body)
        #expect(body["id"].string == "c1")
        #expect(body["error"]["code"].int == -32600)
        // Nothing changed: the call never ran.
        let items = await harness.callTool("get-items", caller: Self.reader)["structuredContent"]["items"].array ?? []
        #expect(items.first { $0["id"].string == "item-1" }?["status"].string == "done")
    }

    @Test func chatGPTGetsItsToolResult() async {
        let harness = Harness(isChatGPT: { _ in true })
        let response = await harness.post(Self.call, headers: [("MCP-Protocol-Version", "2025-06-18")], caller: Self.reader)
        #expect(response.status == 200)
        #expect(response.headers["WWW-Authenticate"] == nil)
        let result = JSON(bytes: response.body)["result"]
        #expect(result["isError"].bool == true)
        #expect(result["_meta"]["mcp/www_authenticate"].string == Self.expectedChallenge)
    }

    /// Inside a batch one item cannot turn the whole answer into a 403: the item is the tool result.
    @Test func aBatchItemIsAlwaysTheToolResult() async {
        let harness = Harness(isChatGPT: { _ in false })
        let response = await harness.post("[\(Self.call)]", headers: [("MCP-Protocol-Version", "2025-03-26")], caller: Self.reader)
        #expect(response.status == 200)
        let first = JSON(bytes: response.body)[0]["result"]
        #expect(first["isError"].bool == true)
        #expect(first["_meta"]["mcp/www_authenticate"].string == Self.expectedChallenge)
    }

    /// The decision is asked only when a scope is missing.
    @Test func callsWithTheScopeNeverAskWhoTheClientIs() async {
        let harness = Harness(isChatGPT: { _ in Issue.record("asked for a call that had its scope"); return false })
        let result = await harness.callTool("get-items", caller: Self.reader)
        #expect(result["isError"].bool == false)
    }
}
