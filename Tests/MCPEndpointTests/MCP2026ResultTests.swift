import Foundation
import HTTPMessages
import MCP
import MCPEndpoint
import Testing

/// What MCP 2026-07-28 results carry: `server/discover`'s exact result, `resultType`,
/// `_meta.serverInfo`, the caching hints where they are required, and the widget-free
/// `tools/list` for hosts without MCP Apps.
@Suite struct MCP2026ResultTests {
    let harness = Harness()
    static var serverInfo: NSDictionary { ["name": "chatgpt-app-fcgi", "title": "Items", "version": "1.0.0"] }

    @Test func discoverAnswersExactlyTheRevisionsShape() async {
        let response = await harness.post2026("server/discover", id: "d1")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let reply = JSON(bytes: response.body)
        #expect(reply["id"].string == "d1")
        let instructions = "Use get-items to show the user's items in an interactive list, and item-action to complete, reopen or delete one item by id."
        let expected: NSDictionary = [
            "resultType": "complete",
            "supportedVersions": ["2026-07-28"],
            "capabilities": ["tools": [String: Any](), "resources": [String: Any](), "extensions": ["io.modelcontextprotocol/ui": [String: Any]()]],
            "instructions": instructions,
            "ttlMs": 0,
            "cacheScope": "public",
            "_meta": ["io.modelcontextprotocol/serverInfo": Self.serverInfo],
        ]
        #expect(reply["result"].object.map(NSDictionary.init(dictionary:)) == expected, "\(reply)")
    }

    /// Discover needs nothing but the envelope: the Python client's probe sends no clientInfo.
    @Test func discoverWithTheBareEnvelope() async {
        let meta: [String: Any] = ["io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:]]
        let response = await harness.post2026("server/discover", meta: meta)
        #expect(response.status == 200)
        #expect(JSON(bytes: response.body)["result"]["supportedVersions"][0].string == "2026-07-28")
    }

    @Test(arguments: [
        ("server/discover", [String: String]()), ("tools/list", [:]), ("resources/list", [:]), ("resources/templates/list", [:]),
        ("resources/read", ["uri": "ui://widget/list-view.html"]),
    ])
    func cacheableResultsCarryEveryField(method: String, params: [String: String]) async {
        let result = await harness.rpc2026(method, params: params)["result"]
        #expect(result["resultType"].string == "complete", "\(result)")
        #expect(result["ttlMs"].int == 0)
        #expect(result["cacheScope"].string == "public")
        #expect(result["_meta"]["io.modelcontextprotocol/serverInfo"].object.map(NSDictionary.init(dictionary:)) == Self.serverInfo)
    }

    @Test(arguments: ["get-items", "item-action"])
    func toolResultsCarryResultTypeAndServerInfoButNoCacheHints(tool: String) async {
        let arguments: [String: Any] = tool == "get-items" ? [:] : ["item_id": "item-1", "action": "reopen"]
        let result = await harness.rpc2026("tools/call", params: ["name": tool, "arguments": arguments])["result"]
        #expect(result["resultType"].string == "complete", "\(result)")
        #expect(result["isError"].bool == false)
        #expect(result["structuredContent"].exists)
        #expect(result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"].string == "chatgpt-app-fcgi")
        #expect(!result["ttlMs"].exists)
        #expect(!result["cacheScope"].exists)
    }

    /// A failed call is still a result (isError), with the same fields.
    @Test func aToolErrorResultCarriesTheFieldsToo() async {
        let result = await harness.rpc2026("tools/call", params: ["name": "item-action", "arguments": ["item_id": "item-1", "action": "explode"]])["result"]
        #expect(result["isError"].bool == true)
        #expect(result["resultType"].string == "complete")
    }

    /// Everything else of a 2026 result is what the older revisions answer.
    @Test(arguments: [("tools/list", [String: String]()), ("resources/list", [:]), ("resources/templates/list", [:]),
                      ("resources/read", ["uri": "ui://widget/list-view.html"]), ("tools/call", ["name": "get-items"])])
    func theRestIsTheHandshakeEraResult(method: String, params: [String: String]) async {
        var modern = await harness.rpc2026(method, params: params, capabilities: Harness.widgetsUI)["result"].object ?? [:]
        let legacy = await harness.rpc(method, params: params, version: "2025-11-25")["result"].object ?? [:]
        for key in ["resultType", "ttlMs", "cacheScope"] { modern.removeValue(forKey: key) }
        var meta = modern["_meta"] as? [String: Any] ?? [:]
        meta.removeValue(forKey: "io.modelcontextprotocol/serverInfo")
        modern["_meta"] = meta.isEmpty ? nil : meta
        #expect(NSDictionary(dictionary: modern) == NSDictionary(dictionary: legacy))
    }

    // MARK: Widgets only for hosts that render them

    private func tools(capabilities: [String: Any]) async -> [JSON] {
        await harness.rpc2026("tools/list", capabilities: capabilities)["result"]["tools"].array ?? []
    }

    @Test func aHostWithoutMCPAppsIsPointedAtNoWidget() async {
        let tools = await tools(capabilities: [:])
        #expect(tools.map(\.["name"].string) == ["get-items", "item-action"])
        for (tool, scope) in zip(tools, ["read", "write"]) {
            let meta = tool["_meta"]
            #expect(meta.keys == ["securitySchemes"], "\(meta)")
            let expected = [["type": "oauth2", "scopes": [scope]]] as NSArray
            #expect((meta["securitySchemes"].value as? NSArray) == expected)
            #expect((tool["securitySchemes"].value as? NSArray) == expected)
            #expect(tool["outputSchema"]["type"].string == "object")
            #expect(tool["annotations"].exists)
        }
    }

    /// Another extension, or the UI one as something other than an object, is no declaration.
    @Test(arguments: [false, true])
    func onlyTheUIExtensionObjectCounts(otherExtension: Bool) async {
        let extensions: [String: Any] = otherExtension ? ["io.modelcontextprotocol/other": [String: Any]()] : ["io.modelcontextprotocol/ui": true]
        for tool in await tools(capabilities: ["extensions": extensions]) {
            #expect(!tool["_meta"]["ui"].exists)
        }
    }

    /// With any settings, `{}` included.
    @Test(arguments: [false, true])
    func aHostWithMCPAppsGetsTheToolsAsTheOlderRevisionsShowThem(emptySettings: Bool) async {
        let capabilities: [String: Any] = emptySettings ? ["extensions": ["io.modelcontextprotocol/ui": [String: Any]()]] : Harness.widgetsUI
        let modern = await tools(capabilities: capabilities)
        let legacy = await harness.rpc("tools/list", version: "2025-11-25")["result"]["tools"].array ?? []
        #expect(modern.count == 2)
        #expect(modern.map { NSDictionary(dictionary: $0.object ?? [:]) } == legacy.map { NSDictionary(dictionary: $0.object ?? [:]) })
        #expect(modern.first?["_meta"]["ui"]["resourceUri"].string == "ui://widget/list-view.html")
    }

    /// An app-only tool keeps its visibility without widgets: it stays hidden from the model.
    @Test func visibilityStaysWithoutWidgets() {
        let meta = AppToolMetadata.meta(scopes: ["read"], widget: .init(uri: "ui://widget/x.html", accessible: true, invoking: "a", invoked: "b"),
                                        modelVisible: false)
        let stripped = AppToolMetadata.withoutWidget(meta)
        #expect(Set(stripped.fields.keys) == ["securitySchemes", "openai/visibility", "ui"])
        #expect(stripped.fields["ui"] == ["visibility": ["app"]])
    }

    // MARK: Routing headers with values HTTP cannot carry

    @Test func base64WrappedNameIsDecoded() async {
        let wrapped = "=?base64?" + Data("get-items".utf8).base64EncodedString() + "?="
        let response = await harness.post2026("tools/call", params: ["name": "get-items"],
                                              headers: [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), ("Mcp-Name", wrapped)])
        #expect(response.status == 200)
        #expect(JSON(bytes: response.body)["result"]["isError"].bool == false)
    }

    @Test func base64WrappedNonASCIINameMatchesTheBody() async {
        // An unknown tool, so -32602: the headers passed.
        let name = " élan\u{7}"
        let wrapped = "=?base64?" + Data(name.utf8).base64EncodedString() + "?="
        let response = await harness.post2026("tools/call", params: ["name": name],
                                              headers: [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), ("Mcp-Name", wrapped)])
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32602)
    }

    @Test func base64WrappedMethodIsDecoded() async {
        let wrapped = "=?base64?" + Data("tools/list".utf8).base64EncodedString() + "?="
        let response = await harness.post2026("tools/list", headers: [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", wrapped)])
        #expect(response.status == 200)
    }

    /// Bad base64, bytes that are not UTF-8, upper-case markers, a different value: none matches.
    @Test(arguments: ["=?base64?!!!notbase64?=", "=?base64?/w==?=", "=?BASE64?Z2V0LWl0ZW1z?=", "=?base64?Z2V0LWl0ZW1t?="])
    func badWrappedValueIsAMismatch(value: String) async {
        let response = await harness.post2026("tools/call", params: ["name": "get-items"],
                                              headers: [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), ("Mcp-Name", value)])
        #expect(response.status == 400)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32020)
    }

    /// "get-item" is `Z2V0LWl0ZW0=`; `Z2V0LWl0ZW1=` decodes to the same bytes with stray bits,
    /// and no padding is not canonical either: both are mismatches, the canonical form passes
    /// the headers (and meets an unknown tool).
    @Test(arguments: [("Z2V0LWl0ZW0=", -32602), ("Z2V0LWl0ZW1=", -32020), ("Z2V0LWl0ZW0", -32020)])
    func onlyCanonicalBase64Matches(encoded: String, code: Int) async {
        let response = await harness.post2026("tools/call", params: ["name": "get-item"],
                                              headers: [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"),
                                                        ("Mcp-Name", "=?base64?\(encoded)?=")])
        #expect(JSON(bytes: response.body)["error"]["code"].int == code)
    }

    @Test func headerNamesAreCaseInsensitive() async {
        let response = await harness.post2026("tools/call", params: ["name": "get-items"],
                                              headers: [("mcp-protocol-version", "2026-07-28"), ("MCP-METHOD", "tools/call"), ("mcp-name", "get-items")])
        #expect(response.status == 200)
    }

    // MARK: subscriptions/listen

    @Test func listenAcknowledgesNothingAndClosesAtOnce() async throws {
        let response = await harness.post2026("subscriptions/listen", params: ["notifications": ["toolsListChanged": true]], id: 42)
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/event-stream")
        let text = String(decoding: response.body, as: UTF8.self)
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == 2)
        #expect(text.hasSuffix("\n\n"))
        let messages = events.map { event -> JSON in
            let lines = event.components(separatedBy: "\n")
            #expect(lines.first == "event: message")
            return JSON(bytes: Array((lines.last ?? "").dropFirst("data: ".count).utf8))
        }
        let acknowledged = messages.first ?? JSON(nil)
        #expect(acknowledged["method"].string == "notifications/subscriptions/acknowledged")
        #expect(!acknowledged["id"].exists)
        #expect(acknowledged["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"].int == 42)
        #expect(acknowledged["params"]["notifications"].object?.isEmpty == true)
        let closing = messages.last ?? JSON(nil)
        #expect(closing["id"].int == 42)
        #expect(closing["result"]["resultType"].string == "complete")
        #expect(closing["result"]["_meta"]["io.modelcontextprotocol/subscriptionId"].int == 42)
        #expect(closing["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"].string == "chatgpt-app-fcgi")
    }

    @Test func listenTagsWithAStringIDToo() async {
        let response = await harness.post2026("subscriptions/listen", params: ["notifications": [:]], id: "s-1")
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""io.modelcontextprotocol/subscriptionId":"s-1""#))
    }
}
