import Foundation
import HTTPMessages
import MCPEndpoint
import Testing

/// Every row of the 2026-07-28 error table (MCP 2026-07-28 basic/transports/streamable-http
/// §Error handling): the HTTP status and the JSON-RPC error, for the request's id.
@Suite struct MCP2026ErrorTests {
    let harness = Harness()

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let method: String
        let params: [String: String]
        /// nil: no `_meta`; else which envelope keys to send.
        let meta: [String: String]?
        let headers: [String: String]?
        let status: Int
        let code: Int
        var testDescription: String { name }
    }

    static let full = ["io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": "{}"]

    static let cases: [Case] = [
        // The envelope: -32602, 400.
        Case(name: "no _meta", method: "tools/list", params: [:], meta: nil, headers: nil, status: 400, code: -32602),
        Case(name: "_meta without protocolVersion", method: "tools/list", params: [:],
             meta: ["io.modelcontextprotocol/clientCapabilities": "{}"], headers: nil, status: 400, code: -32602),
        Case(name: "_meta without clientCapabilities", method: "tools/list", params: [:],
             meta: ["io.modelcontextprotocol/protocolVersion": "2026-07-28"], headers: nil, status: 400, code: -32602),
        Case(name: "un-enveloped initialize", method: "initialize", params: [:], meta: nil, headers: nil, status: 400, code: -32602),
        // The routing headers: -32020, 400.
        Case(name: "Mcp-Method missing", method: "tools/list", params: [:], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28"], status: 400, code: -32020),
        Case(name: "Mcp-Method differs", method: "tools/list", params: [:], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "resources/list"], status: 400, code: -32020),
        Case(name: "Mcp-Method differs in case", method: "tools/list", params: [:], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "Tools/List"], status: 400, code: -32020),
        Case(name: "Mcp-Name missing on tools/call", method: "tools/call", params: ["name": "get-items"], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call"], status: 400, code: -32020),
        Case(name: "Mcp-Name differs on tools/call", method: "tools/call", params: ["name": "get-items"], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "item-action"], status: 400, code: -32020),
        Case(name: "Mcp-Name missing on resources/read", method: "resources/read", params: ["uri": "ui://widget/list-view.html"], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "resources/read"], status: 400, code: -32020),
        Case(name: "Mcp-Name differs on resources/read", method: "resources/read", params: ["uri": "ui://widget/list-view.html"], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "resources/read", "Mcp-Name": "ui://widget/other.html"],
             status: 400, code: -32020),
        Case(name: "Mcp-Name missing on prompts/get", method: "prompts/get", params: ["name": "p"], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "prompts/get"], status: 400, code: -32020),
        Case(name: "_meta version differs from the header", method: "tools/list", params: [:],
             meta: ["io.modelcontextprotocol/protocolVersion": "2025-11-25", "io.modelcontextprotocol/clientCapabilities": "{}"],
             headers: nil, status: 400, code: -32020),
        // The version: -32022, 400.
        Case(name: "unsupported version in header and _meta", method: "tools/list", params: [:],
             meta: ["io.modelcontextprotocol/protocolVersion": "2099-01-01", "io.modelcontextprotocol/clientCapabilities": "{}"],
             headers: ["MCP-Protocol-Version": "2099-01-01", "Mcp-Method": "tools/list"], status: 400, code: -32022),
        // Removed, unknown or not offered: -32601, 404.
        Case(name: "ping", method: "ping", params: [:], meta: full, headers: nil, status: 404, code: -32601),
        Case(name: "enveloped initialize", method: "initialize", params: [:], meta: full, headers: nil, status: 404, code: -32601),
        Case(name: "logging/setLevel", method: "logging/setLevel", params: ["level": "info"], meta: full, headers: nil, status: 404, code: -32601),
        Case(name: "resources/subscribe", method: "resources/subscribe", params: ["uri": "ui://widget/list-view.html"], meta: full,
             headers: nil, status: 404, code: -32601),
        Case(name: "resources/unsubscribe", method: "resources/unsubscribe", params: ["uri": "ui://widget/list-view.html"], meta: full,
             headers: nil, status: 404, code: -32601),
        Case(name: "prompts/list, not offered", method: "prompts/list", params: [:], meta: full, headers: nil, status: 404, code: -32601),
        Case(name: "prompts/get, not offered", method: "prompts/get", params: ["name": "p"], meta: full, headers: nil, status: 404, code: -32601),
        Case(name: "completion/complete, not offered", method: "completion/complete", params: [:], meta: full, headers: nil,
             status: 404, code: -32601),
        Case(name: "unknown method", method: "tools/nonsense", params: [:], meta: full, headers: nil, status: 404, code: -32601),
        // Params: -32602, 400.
        Case(name: "unknown tool", method: "tools/call", params: ["name": "no-such-tool"], meta: full, headers: nil, status: 400, code: -32602),
        Case(name: "tools/call without a name", method: "tools/call", params: ["name": ""], meta: full, headers: nil, status: 400, code: -32602),
        Case(name: "resources/read without a uri", method: "resources/read", params: [:], meta: full,
             headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "resources/read", "Mcp-Name": ""], status: 400, code: -32020),
        Case(name: "a cursor never handed out", method: "tools/list", params: ["cursor": "abc"], meta: full, headers: nil,
             status: 400, code: -32602),
        Case(name: "a cursor on resources/list", method: "resources/list", params: ["cursor": "abc"], meta: full, headers: nil,
             status: 400, code: -32602),
        Case(name: "a cursor on resources/templates/list", method: "resources/templates/list", params: ["cursor": "abc"], meta: full,
             headers: nil, status: 400, code: -32602),
    ]

    @Test(arguments: cases)
    func refusal(_ test: Case) async throws {
        let meta = test.meta.map { keys in
            keys.mapValues { $0 == "{}" ? [String: Any]() as Any : $0 as Any }
        }
        let headers = test.headers.map { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        let response = await harness.post2026(test.method, params: test.params, id: "r-7", meta: meta, headers: headers)
        let reply = JSON(bytes: response.body)
        #expect(response.status == test.status, "\(reply)")
        #expect(reply["error"]["code"].int == test.code, "\(reply)")
        #expect(reply["id"].string == "r-7")
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test func unsupportedVersionListsEveryRevisionServed() async {
        let meta: [String: Any] = ["io.modelcontextprotocol/protocolVersion": "2099-01-01", "io.modelcontextprotocol/clientCapabilities": [:]]
        let response = await harness.post2026("server/discover", meta: meta,
                                              headers: [("MCP-Protocol-Version", "2099-01-01"), ("Mcp-Method", "server/discover")])
        #expect(response.status == 400)
        let error = JSON(bytes: response.body)["error"]
        #expect(error["code"].int == -32022)
        #expect(error["data"]["supported"].array?.map(\.string) == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"])
        #expect(error["data"]["requested"].string == "2099-01-01")
    }

    /// -32002 is retired: a missing resource is -32602 naming the URI.
    @Test func unknownResourceIs32602WithTheURI() async {
        let uri = "ui://widget/nope.html"
        let response = await harness.post2026("resources/read", params: ["uri": uri])
        #expect(response.status == 400)
        let error = JSON(bytes: response.body)["error"]
        #expect(error["code"].int == -32602)
        #expect(error["data"]["uri"].string == uri)
    }

    /// A widget whose bundle is not built: -32603, with HTTP 200 as the reference server answers.
    @Test func internalErrorIs32603With200() async {
        let directory = TestWidgets.directory()
        let harness = Harness(widgetsDirectory: directory)
        try? FileManager.default.removeItem(atPath: directory + "/list-view.js")
        let response = await harness.post2026("resources/read", params: ["uri": "ui://widget/list-view.html"])
        #expect(response.status == 200)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32603)
    }

    static let versionHeader = [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list")]

    @Test(arguments: ["{not json", "", "\u{FF}"])
    func unparsableBodyIs32700(body: String) async {
        let response = await harness.post(body, headers: Self.versionHeader)
        #expect(response.status == 400)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32700)
        #expect(reply["id"].isNull)
    }

    @Test func batchIs32600() async {
        let envelope = JSON.text(Harness.envelope())
        let body = #"[{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":\#(envelope)}}]"#
        let response = await harness.post(body, headers: Self.versionHeader)
        #expect(response.status == 400)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32600)
        #expect(reply["id"].isNull)
    }

    @Test func malformedMessageIs32600WithItsID() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":"abc","method":""}"#, headers: Self.versionHeader)
        #expect(response.status == 400)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32600)
        #expect(reply["id"].string == "abc")
    }

    @Test(arguments: [#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}}"#,
                      #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, #"{"jsonrpc":"2.0","id":9,"result":{}}"#])
    func notificationsAndResponsesAre202WithoutBody(body: String) async {
        let response = await harness.post(body, headers: [("MCP-Protocol-Version", "2026-07-28")])
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
    }

    @Test(arguments: ["GET", "DELETE"])
    func getAndDeleteAre405WithAllow(method: String) {
        let request = Harness.request("", method: method, headers: [("MCP-Protocol-Version", "2026-07-28")])
        let response = harness.endpoint.respond(to: request, caller: Harness.caller())
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
    }

    /// Lenient Accept, as on the older revisions: proxies send all sorts; never 406.
    @Test(arguments: [nil, "text/html", "application/json"])
    func anyAcceptIsServed(accept: String?) async {
        let headers = Harness.headers2026("tools/list", params: [:]) + (accept.map { [("Accept", $0)] } ?? [])
        let response = await harness.post2026("tools/list", headers: headers)
        #expect(response.status == 200)
    }

    /// The step-up rule is the revision-independent one (`StepUpChallenge`): a standard client's
    /// token lacking the tool's scope gets the HTTP 403 it acts on.
    @Test func aStandardClientLackingAScopeGets403() async {
        let harness = Harness(isChatGPT: { _ in false })
        let response = await harness.post2026("tools/call", params: ["name": "item-action", "arguments": ["item_id": "item-1", "action": "complete"]],
                                              caller: Harness.caller(scopes: ["read"]))
        #expect(response.status == 403)
        #expect(response.headers["WWW-Authenticate"] == StepUpTests.expectedChallenge)
    }

    @Test func chatGPTLackingAScopeGetsItsToolResult() async {
        let harness = Harness(isChatGPT: { _ in true })
        let response = await harness.post2026("tools/call", params: ["name": "item-action", "arguments": ["item_id": "item-1", "action": "complete"]],
                                              caller: Harness.caller(scopes: ["read"]))
        #expect(response.status == 200)
        let result = JSON(bytes: response.body)["result"]
        #expect(result["isError"].bool == true)
        #expect(result["_meta"]["mcp/www_authenticate"].string == StepUpTests.expectedChallenge)
        // The tool result's own _meta and the server's info side by side.
        #expect(result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"].string == "chatgpt-app-fcgi")
        #expect(result["resultType"].string == "complete")
    }
}
