import HTTPMessages
import Foundation
import MCPEndpoint
import Testing

/// JSON-RPC 2.0 §5.1 error codes, and MCP's -32002 for a missing resource.
@Suite struct ErrorCodeTests {
    let harness = Harness()

    @Test(arguments: ["{not json", "", "[1,", "\u{FF}"])
    func unparsableBodyIs32700(body: String) async {
        let response = await harness.post(body)
        #expect(response.status == 400)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32700)
        #expect(reply["id"].isNull)
    }

    @Test(arguments: [
        #"42"#, #""text""#, #"{"id":1,"method":"ping"}"#, #"{"jsonrpc":"1.0","id":1,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":1}"#, #"{"jsonrpc":"2.0","id":1,"method":7}"#, #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#,
        #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#,
    ])
    func malformedMessageIs32600(body: String) async {
        let response = await harness.post(body)
        #expect(response.status == 400)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32600)
    }

    @Test func invalidRequestKeepsItsID() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":"abc","method":""}"#)
        #expect(JSON(bytes: response.body)["id"].string == "abc")
    }

    @Test(arguments: ["prompts/list", "tools/nonsense", "resources/subscribe"])
    func unknownMethodIs32601(method: String) async {
        let reply = await harness.rpc(method, params: [:], id: 3)
        #expect(reply["error"]["code"].int == -32601)
        #expect(reply["id"].int == 3)
    }

    @Test func unknownToolIs32602() async {
        let reply = await harness.rpc("tools/call", params: ["name": "no-such-tool"])
        #expect(reply["error"]["code"].int == -32602)
        #expect(reply["error"]["message"].string?.contains("no-such-tool") == true)
    }

    @Test(arguments: [
        ("tools/call", "{}"), ("tools/call", #"{"name":5}"#), ("tools/call", #"{"name":"get-items","arguments":[1]}"#),
        ("resources/read", "{}"), ("resources/read", #"{"uri":3}"#), ("tools/list", #"{"cursor":"abc"}"#),
        ("resources/list", #"{"cursor":"abc"}"#), ("resources/templates/list", #"{"cursor":"abc"}"#),
    ])
    func badParamsAre32602(method: String, params: String) async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32602, "\(reply)")
    }

    @Test func missingParamsOfCallToolIs32602() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32602)
    }

    @Test func unknownResourceIs32002() async {
        let reply = await harness.rpc("resources/read", params: ["uri": "ui://widget/nope.html"])
        #expect(reply["error"]["code"].int == -32002)
    }
}
