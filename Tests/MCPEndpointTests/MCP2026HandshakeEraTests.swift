import Foundation
import HTTPMessages
import MCPEndpoint
import Testing

/// The older revisions beside 2026-07-28 answer exactly as before it existed: no routing-header
/// checks, no 2026 result fields, their own statuses and codes (MCP 2026-07-28
/// basic/versioning §Serving both eras).
@Suite struct MCP2026HandshakeEraTests {
    let harness = Harness()
    static let revisions: [String?] = [nil, "2025-03-26", "2025-06-18", "2025-11-25"]

    private func post(_ body: String, version: String?, extra: [(String, String)] = []) async -> HTTPMessages.Response {
        await harness.post(body, headers: (version.map { [("MCP-Protocol-Version", $0)] } ?? []) + extra)
    }

    @Test(arguments: revisions)
    func resultsCarryNoneOfThe2026Fields(version: String?) async {
        for (method, params) in [("tools/list", "{}"), ("resources/list", "{}"), ("resources/templates/list", "{}"),
                                 ("resources/read", #"{"uri":"ui://widget/list-view.html"}"#), ("tools/call", #"{"name":"get-items"}"#),
                                 ("ping", "{}")] {
            let response = await post(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#, version: version)
            #expect(response.status == 200)
            let result = JSON(bytes: response.body)["result"]
            #expect(result.exists, "\(method)")
            for key in ["resultType", "ttlMs", "cacheScope"] { #expect(!result[key].exists, "\(method) \(key)") }
            #expect(!result["_meta"]["io.modelcontextprotocol/serverInfo"].exists, "\(method)")
        }
    }

    /// Mcp-* headers mean nothing before 2026-07-28, wrong or not; the bytes are the same.
    @Test(arguments: revisions)
    func routingHeadersAreIgnored(version: String?) async {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-items"}}"#
        let plain = await post(body, version: version)
        let mismatched = await post(body, version: version, extra: [("Mcp-Method", "tools/list"), ("Mcp-Name", "other")])
        #expect(mismatched.status == 200)
        #expect(mismatched.body == plain.body)
    }

    /// The body's `_meta` is no envelope either: a 2026 `_meta` in a 2025 request changes nothing.
    @Test(arguments: revisions)
    func a2026MetaIsJustMeta(version: String?) async {
        let envelope = JSON.text(Harness.envelope())
        let plain = await post(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, version: version)
        let enveloped = await post(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":\#(envelope)}}"#, version: version)
        #expect(enveloped.body == plain.body)
    }

    @Test(arguments: revisions)
    func discoverAndListenAreUnknownWith200(version: String?) async {
        for method in ["server/discover", "subscriptions/listen"] {
            let response = await post(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#, version: version)
            #expect(response.status == 200)
            #expect(JSON(bytes: response.body)["error"]["code"].int == -32601)
        }
    }

    @Test(arguments: revisions)
    func missingResourceIsStill32002With200(version: String?) async {
        let response = await post(#"{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"ui://widget/nope.html"}}"#, version: version)
        #expect(response.status == 200)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32002)
    }

    @Test(arguments: revisions)
    func unknownToolIsStill32602With200(version: String?) async {
        let response = await post(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"nope"}}"#, version: version)
        #expect(response.status == 200)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32602)
    }

    @Test(arguments: revisions)
    func pingAnswers(version: String?) async {
        let response = await post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, version: version)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"id":1,"jsonrpc":"2.0","result":{}}"#)
    }

    /// Tools keep their widget `_meta` whatever the body's `_meta` declares: before 2026 the
    /// client's capabilities came with initialize, which is stateless here.
    @Test func toolsListKeepsWidgetsWithoutTheExtension() async {
        let tools = await harness.rpc("tools/list", params: ["_meta": Harness.envelope()], version: "2025-11-25")["result"]["tools"].array ?? []
        #expect(tools.first?["_meta"]["ui"]["resourceUri"].string == "ui://widget/list-view.html")
    }
}
