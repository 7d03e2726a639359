import Foundation
import MCPEndpoint
import Testing

/// The ListView widget as an MCP resource, for MCP Apps hosts and the Apps SDK.
@Suite struct ResourceTests {
    @Test func listShowsTheWidget() async {
        let reply = await Harness().rpc("resources/list")
        let resources = reply["result"]["resources"].array ?? []
        #expect(resources.count == 1)
        #expect(resources.first?["uri"].string == "ui://widget/list-view.html")
        #expect(resources.first?["mimeType"].string == "text/html;profile=mcp-app")
    }

    @Test func templatesListIsEmpty() async {
        let reply = await Harness().rpc("resources/templates/list")
        #expect(reply["result"]["resourceTemplates"].array?.isEmpty == true)
    }

    @Test func readOffersBothMIMETypesWithTheBundleInlined() async throws {
        let reply = await Harness().rpc("resources/read", params: ["uri": "ui://widget/list-view.html"])
        let contents = reply["result"]["contents"].array ?? []
        #expect(contents.map { $0["mimeType"].string ?? "" } == ["text/html;profile=mcp-app", "text/html+skybridge"])
        for content in contents {
            #expect(content["uri"].string == "ui://widget/list-view.html")
            let html = content["text"].string ?? ""
            #expect(html.contains(#"<div id="root"></div>"#))
            #expect(html.contains(#"<script type="module">"#))
            // The bundle is inlined, with "</script" and "<!--" made harmless.
            #expect(html.contains(#"textContent = '<\/script><\!-- list view';"#))
            #expect(html.components(separatedBy: "</script>").count == 2)
            #expect(html.contains("#root { color: teal }"))

            let meta = content["_meta"]
            #expect(meta["openai/widgetCSP"]["connect_domains"].array != nil)
            #expect(meta["openai/widgetCSP"]["resource_domains"].array != nil)
            #expect(meta["ui"]["csp"]["connectDomains"].array != nil)
            #expect(meta["ui"]["csp"]["resourceDomains"].array != nil)
            #expect(meta["ui"]["prefersBorder"].bool == true)
            #expect(meta["openai/widgetPrefersBorder"].bool == true)
            #expect(meta["openai/widgetDescription"].string?.isEmpty == false)
        }
    }

    @Test func missingBundleIsAClearError() async {
        let harness = Harness(widgetsDirectory: TestWidgets.directory(script: nil, style: nil))
        let reply = await harness.rpc("resources/read", params: ["uri": "ui://widget/list-view.html"])
        #expect(reply["error"]["code"].int == -32603)
        #expect(reply["error"]["message"].string?.contains("list-view.js") == true)
        // Still listed: the tools point at it.
        let list = await harness.rpc("resources/list")
        #expect(list["result"]["resources"].array?.count == 1)
    }

    @Test func bundleBuiltLaterIsPickedUp() async {
        let directory = TestWidgets.directory(script: nil, style: nil)
        let harness = Harness(widgetsDirectory: directory)
        #expect(await harness.rpc("resources/read", params: ["uri": WidgetCatalog.listViewURI])["error"].exists)
        _ = FileManager.default.createFile(atPath: directory + "/list-view.js", contents: Data("console.log(1)".utf8))
        let reply = await harness.rpc("resources/read", params: ["uri": WidgetCatalog.listViewURI])
        #expect(reply["result"]["contents"][0]["text"].string?.contains("console.log(1)") == true)
    }
}
