import Foundation
import HTTPMessages
import MCPEndpoint
import Storage
import Testing

/// The budgets at `/mcp`: messages over `MCP_CALLS_PER_USER_PER_MINUTE` get 429 with
/// `Retry-After` and a JSON-RPC error (RFC 6585 §4, RFC 9110 §10.2.3); batch items count one
/// each; calls to the API over `BACKEND_CALLS_PER_USER_PER_MINUTE` are tool errors.
@Suite struct CallBudgetEndpointTests {
    /// 20 s into a minute: 40 s left.
    static let clock = Clock(CallWindowTests.minute + 20)

    static func harness(mcp: Int = 0, backend: Int = 0) -> Harness {
        let store = MemoryStore()
        return Harness(budgets: CallBudgets(
            mcp: CallBudget(name: "mcp", callsPerMinute: mcp, store: store, clock: { clock.now }),
            backend: CallBudget(name: "backend", callsPerMinute: backend, store: store, clock: { clock.now })))
    }

    static func expectRefusal(_ response: HTTPMessages.Response, id: Int?) {
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "40")
        #expect(response.headers["Content-Type"] == "application/json")
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32000)
        #expect(reply["error"]["data"]["retryAfterSeconds"].int == 40)
        #expect(reply["error"]["message"].string?.contains("retry in 40 s") == true)
        if let id { #expect(reply["id"].int == id) } else { #expect(reply["id"].isNull) }
    }

    @Test func messagesPastTheBudgetAre429WhileOtherUsersGoOn() async {
        let harness = Self.harness(mcp: 3)
        let alice = Harness.caller("did:privy:alice"), bob = Harness.caller("did:privy:bob")
        for id in 1...3 { #expect(await harness.rpc("ping", id: id, caller: alice)["result"].exists) }
        let body = JSON.text(["jsonrpc": "2.0", "id": 4, "method": "ping"] as [String: Any])
        Self.expectRefusal(await harness.post(body, headers: [("MCP-Protocol-Version", "2025-06-18")], caller: alice), id: 4)
        // Notifications and bodies that are not JSON count, and are refused alike.
        Self.expectRefusal(await harness.post("not json", caller: alice), id: nil)
        #expect(await harness.rpc("ping", caller: bob)["result"].exists)
    }

    @Test func theModernRevisionIsCountedToo() async {
        let harness = Self.harness(mcp: 1)
        #expect(await harness.post2026("server/discover").status == 200)
        Self.expectRefusal(await harness.post2026("server/discover"), id: nil)
    }

    /// A batch of n is n calls; one that does not fit is refused whole, nothing of it run.
    @Test func eachBatchItemCounts() async {
        let harness = Self.harness(mcp: 5)
        let batch = { (ids: ClosedRange<Int>) in
            "[" + ids.map { #"{"jsonrpc":"2.0","id":\#($0),"method":"ping"}"# }.joined(separator: ",") + "]"
        }
        let first = await harness.post(batch(1...3), headers: [("MCP-Protocol-Version", "2025-03-26")])
        #expect(first.status == 200 && JSON(bytes: first.body).array?.count == 3)
        Self.expectRefusal(await harness.post(batch(4...6), headers: [("MCP-Protocol-Version", "2025-03-26")]), id: nil)
    }

    @Test func callsToTheAPIPastTheBudgetAreToolErrorsSayingWhenToRetry() async {
        let harness = Self.harness(backend: 2)
        #expect(await harness.callTool("get-items")["isError"].bool == false)
        #expect(await harness.callTool("get-items")["isError"].bool == false)
        let refused = await harness.callTool("get-items")
        #expect(refused["isError"].bool == true)
        #expect(refused["content"][0]["text"].string == "Too many requests to the app this minute. Try again in 40 seconds.")
        #expect(refused["_meta"]["retryAfterSeconds"].int == 40)
        // Another user is not held back.
        #expect(await harness.callTool("get-items", caller: Harness.caller("did:privy:bob"))["isError"].bool == false)
    }
}
