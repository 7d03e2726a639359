import HTTPMessages
import Foundation
import MCPEndpoint
import Testing

/// The items manifest's get-items and item-action on the built-in demo items API.
@Suite struct ToolCallTests {
    let harness = Harness()

    @Test func getItemsListsTheUsersItems() async {
        let result = await harness.callTool("get-items")
        #expect(result["isError"].bool == false)
        let items = result["structuredContent"]["items"].array ?? []
        #expect(items.count == 3)
        #expect(Set(items[0].keys).isSuperset(of: ["id", "title", "status"]))
        #expect(result["content"][0]["type"].string == "text")
        #expect(result["content"][0]["text"].string == "You have 3 items.")
        #expect(!result["_meta"].exists)
    }

    @Test func itemActionReturnsTheChangedItem() async {
        let result = await harness.callTool("item-action", ["item_id": "item-2", "action": "complete"])
        #expect(result["isError"].bool == false)
        #expect(result["structuredContent"]["item"]["id"].string == "item-2")
        #expect(result["structuredContent"]["item"]["status"].string == "done")
        #expect(!result["structuredContent"]["items"].exists)
        let items = await harness.callTool("get-items")["structuredContent"]["items"].array ?? []
        #expect(items.first { $0["id"].string == "item-2" }?["status"].string == "done")

        let reopened = await harness.callTool("item-action", ["item_id": "item-2", "action": "reopen"])
        #expect(reopened["structuredContent"]["item"]["status"].string == "open")
    }

    @Test func deleteRemovesTheItemForThisUserOnly() async {
        let result = await harness.callTool("item-action", ["item_id": "item-3", "action": "delete"])
        #expect(result["structuredContent"]["item"]["id"].string == "item-3")
        #expect(await harness.callTool("get-items")["structuredContent"]["items"].array?.count == 2)
        let other = await harness.callTool("get-items", caller: Harness.caller("did:privy:bob"))
        #expect(other["structuredContent"]["items"].array?.count == 3)
        let again = await harness.callTool("item-action", ["item_id": "item-3", "action": "delete"])
        #expect(again["isError"].bool == true)
        #expect(again["content"][0]["text"].string?.contains("No such item") == true)
    }

    @Test(arguments: [
        (#"{"action":"complete"}"#, "item_id"),
        (#"{"item_id":"","action":"complete"}"#, "item_id"),
        (#"{"item_id":7,"action":"complete"}"#, "item_id"),
        (#"{"item_id":"item-1"}"#, "action"),
        (#"{"item_id":"item-1","action":"explode"}"#, "action"),
        (#"{"item_id":"item-1","action":"complete","force":true}"#, "force"),
    ])
    func invalidArgumentsAreToolErrorsNamingTheField(arguments: String, field: String) async {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"item-action","arguments":\#(arguments)}}"#
        let response = await harness.post(body, headers: [("MCP-Protocol-Version", "2025-06-18")])
        #expect(response.status == 200)
        let result = JSON(bytes: response.body)["result"]
        #expect(result["isError"].bool == true)
        #expect(result["content"][0]["text"].string?.contains("\"\(field)\"") == true, "\(result)")
    }

    @Test func getItemsRejectsUnknownArguments() async {
        let result = await harness.callTool("get-items", ["limit": 5])
        #expect(result["isError"].bool == true)
        #expect(result["content"][0]["text"].string?.contains("\"limit\"") == true)
    }

    @Test func writeToolWithoutWriteScopeAsksForStepUp() async {
        let reader = Harness.caller(scopes: ["read"])
        let result = await harness.callTool("item-action", ["item_id": "item-1", "action": "complete"], caller: reader)
        #expect(result["isError"].bool == true)
        let challenge = result["_meta"]["mcp/www_authenticate"].string ?? ""
        #expect(challenge.hasPrefix("Bearer "))
        #expect(challenge.contains(#"error="insufficient_scope""#))
        #expect(challenge.contains(#"resource_metadata="https://app.example.com/.well-known/oauth-protected-resource/mcp""#))
        #expect(challenge.contains(#"scope="read write""#))
        // Reading still works with that token, and nothing changed.
        let items = await harness.callTool("get-items", caller: reader)
        #expect(items["structuredContent"]["items"].array?.first { $0["id"].string == "item-1" }?["status"].string == "done")
    }
}
