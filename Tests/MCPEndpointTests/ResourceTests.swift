import Foundation
import MCPEndpoint
import Testing

/// The items manifest's list-view widget as an MCP resource, for MCP Apps hosts and the Apps SDK.
@Suite struct ResourceTests {
    static let listViewURI = "ui://widget/list-view.html"

    @Test func listShowsTheManifestsWidget() async {
        let reply = await Harness().rpc("resources/list")
        let resources = reply["result"]["resources"].array ?? []
        #expect(resources.count == 1)
        let widget = resources.first ?? JSON(nil)
        #expect(widget["uri"].string == Self.listViewURI)
        #expect(widget["name"].string == "list-view")
        #expect(widget["mimeType"].string == "text/html;profile=mcp-app")
        // The words the manifest gives it (examples/items/app.json).
        #expect(widget["title"].string == "Items list")
        #expect(widget["description"].string == "An interactive list of the user's items; each can be completed, reopened or deleted.")
        #expect(widget["_meta"]["openai/widgetDescription"].string == widget["description"].string)
    }

    @Test func templatesListIsEmpty() async {
        let reply = await Harness().rpc("resources/templates/list")
        #expect(reply["result"]["resourceTemplates"].array?.isEmpty == true)
    }

    @Test func readOffersBothMIMETypesWithTheBundleInlined() async throws {
        let reply = await Harness().rpc("resources/read", params: ["uri": Self.listViewURI])
        let contents = reply["result"]["contents"].array ?? []
        #expect(contents.map { $0["mimeType"].string ?? "" } == ["text/html;profile=mcp-app", "text/html+skybridge"])
        for content in contents {
            #expect(content["uri"].string == Self.listViewURI)
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
            // The manifest's empty CSP lists stay empty: the widget reaches nothing outside.
            #expect(meta["ui"]["csp"]["connectDomains"].array?.isEmpty == true)
        }
    }

    @Test func bundleRebuiltInPlaceIsPickedUp() async {
        let directory = TestWidgets.directory()
        let harness = Harness(widgetsDirectory: directory)
        let before = await harness.rpc("resources/read", params: ["uri": Self.listViewURI])
        #expect(before["result"]["contents"][0]["text"].string?.contains("list view") == true)
        _ = FileManager.default.createFile(atPath: directory + "/list-view.js", contents: Data("console.log('rebuilt')".utf8))
        let after = await harness.rpc("resources/read", params: ["uri": Self.listViewURI])
        #expect(after["result"]["contents"][0]["text"].string?.contains("console.log('rebuilt')") == true)
    }
}
