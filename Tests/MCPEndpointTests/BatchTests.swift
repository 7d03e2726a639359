import HTTPMessages
import Foundation
import MCPEndpoint
import Testing

/// JSON-RPC batches: accepted only under protocol 2025-03-26 (removed in 2025-06-18).
@Suite struct BatchTests {
    let harness = Harness()

    @Test(arguments: [nil, "2025-03-26"])
    func batchUnder20250326GetsArrayInOrder(version: String?) async {
        let body = """
        [{"jsonrpc":"2.0","id":1,"method":"ping"},
         {"jsonrpc":"2.0","method":"notifications/initialized"},
         {"jsonrpc":"2.0","id":"two","method":"tools/list"},
         {"jsonrpc":"2.0","id":3,"method":"no/such"}]
        """
        let response = await harness.post(body, headers: version.map { [("MCP-Protocol-Version", $0)] } ?? [])
        #expect(response.status == 200)
        let replies = JSON(bytes: response.body).array ?? []
        #expect(replies.count == 3)
        #expect(replies.first?["id"].int == 1)
        #expect(replies.dropFirst().first?["id"].string == "two")
        #expect(replies.dropFirst().first?["result"]["tools"].array?.count == 2)
        #expect(replies.last?["error"]["code"].int == -32601)
    }

    @Test(arguments: ["2025-06-18", "2025-11-25"])
    func batchUnderNewerVersionsIsRejected(version: String) async {
        let response = await harness.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, headers: [("MCP-Protocol-Version", version)])
        #expect(response.status == 400)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32600)
    }

    @Test func emptyBatchIsInvalid() async {
        let response = await harness.post("[]")
        #expect(response.status == 400)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32600)
    }

    @Test func notificationsOnlyBatchIs202() async {
        let response = await harness.post(#"[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":4,"result":{}}]"#)
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
    }

    @Test func invalidItemsGetTheirOwnErrors() async {
        let body = #"[1, {"jsonrpc":"2.0","id":5}, {"jsonrpc":"2.0","id":6,"method":"initialize","params":{}}, {"jsonrpc":"2.0","id":7,"method":"ping"}]"#
        let response = await harness.post(body)
        #expect(response.status == 200)
        let replies = JSON(bytes: response.body).array ?? []
        #expect(replies.count == 4)
        #expect(replies[0]["error"]["code"].int == -32600)
        #expect(replies[0]["id"].isNull)
        #expect(replies[1]["error"]["code"].int == -32600)
        #expect(replies[1]["id"].int == 5)
        #expect(replies[2]["error"]["code"].int == -32600)  // initialize must not be batched
        #expect(replies[3]["result"].exists)
    }
}
