import Foundation
import MCPEndpoint
import Testing

/// The tool descriptors ChatGPT reads (Apps SDK reference, "Tool descriptor"), built from the
/// items manifest (`examples/items/app.json`).
@Suite struct ToolsListTests {
    let harness = Harness()

    private func tools() async -> [String: JSON] {
        let reply = await harness.rpc("tools/list")
        var byName: [String: JSON] = [:]
        for tool in reply["result"]["tools"].array ?? [] { byName[tool["name"].string ?? ""] = tool }
        return byName
    }

    @Test func listsTheManifestsToolsInItsOrder() async {
        let reply = await harness.rpc("tools/list")
        #expect((reply["result"]["tools"].array ?? []).map(\.["name"].string) == ["get-items", "item-action"])
    }

    @Test(arguments: [("get-items", "Show my items"), ("item-action", "Change an item")])
    func titleIsTheManifests(name: String, title: String) async {
        let tool = await tools()[name] ?? JSON(nil)
        #expect(tool["title"].string == title)
        #expect(tool["annotations"]["title"].string == title)
    }

    @Test(arguments: [("get-items", "read"), ("item-action", "write")])
    func securitySchemesAtTopAndInMeta(name: String, scope: String) async {
        let tool = await tools()[name] ?? JSON(nil)
        let expected = [["type": "oauth2", "scopes": [scope]]] as NSArray
        #expect((tool["securitySchemes"].value as? NSArray) == expected)
        #expect((tool["_meta"]["securitySchemes"].value as? NSArray) == expected)
    }

    @Test(arguments: [("get-items", "Loading your items…", "Here are your items"), ("item-action", "Updating the item…", "Item updated")])
    func metaForChatGPTAndMCPApps(name: String, invoking: String, invoked: String) async {
        let tool = await tools()[name] ?? JSON(nil)
        let meta = tool["_meta"]
        #expect(meta["openai/outputTemplate"].string == "ui://widget/list-view.html")
        #expect(meta["ui"]["resourceUri"].string == "ui://widget/list-view.html")
        #expect(meta["openai/widgetAccessible"].bool == true)
        #expect(meta["openai/toolInvocation/invoking"].string == invoking)
        #expect(meta["openai/toolInvocation/invoked"].string == invoked)
        // Public tools: the model sees them.
        #expect(!meta["openai/visibility"].exists)
        #expect(!meta["ui"]["visibility"].exists)
        #expect(tool["inputSchema"]["type"].string == "object")
        #expect(tool["outputSchema"]["type"].string == "object")
        #expect(tool["description"].string?.isEmpty == false)
    }

    @Test func annotations() async {
        let tools = await tools()
        let read = tools["get-items"]?["annotations"] ?? JSON(nil)
        #expect(read["readOnlyHint"].bool == true)
        #expect(read["destructiveHint"].bool == false)
        #expect(read["openWorldHint"].bool == false)
        #expect(read["idempotentHint"].bool == true)
        let write = tools["item-action"]?["annotations"] ?? JSON(nil)
        #expect(write["readOnlyHint"].bool == false)
        #expect(write["destructiveHint"].bool == true)
        #expect(write["openWorldHint"].bool == false)
        #expect(write["idempotentHint"].bool == true)
    }

    @Test func itemActionInputSchema() async {
        let schema = await tools()["item-action"]?["inputSchema"] ?? JSON(nil)
        #expect(Set((schema["required"].array ?? []).compactMap(\.string)) == ["item_id", "action"])
        #expect((schema["properties"]["action"]["enum"].array ?? []).compactMap(\.string) == ["complete", "reopen", "delete"])
        #expect(schema["properties"]["item_id"]["type"].string == "string")
        #expect(schema["additionalProperties"].bool == false)
    }

    /// The output schema is the manifest's, as written: item-action answers the changed item.
    @Test func itemActionOutputSchema() async {
        let schema = await tools()["item-action"]?["outputSchema"] ?? JSON(nil)
        #expect((schema["required"].array ?? []).compactMap(\.string) == ["item"])
        #expect(schema["properties"]["item"]["type"].string == "object")
    }
}
