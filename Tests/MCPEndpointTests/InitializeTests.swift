import HTTPMessages
import Foundation
import MCPEndpoint
import Testing

/// MCP lifecycle §Version Negotiation, stateless.
@Suite struct InitializeTests {
    let harness = Harness()

    private func initialize(_ version: String, id: Int = 1) async -> JSON {
        await harness.rpc("initialize", params: [
            "protocolVersion": version, "capabilities": [:], "clientInfo": ["name": "test", "version": "1"],
        ], id: id, version: nil)
    }

    @Test(arguments: ["2025-03-26", "2025-06-18", "2025-11-25"])
    func supportedVersionIsEchoed(version: String) async {
        let reply = await initialize(version)
        #expect(reply["result"]["protocolVersion"].string == version)
        #expect(reply["result"]["capabilities"]["tools"].exists)
        #expect(reply["result"]["capabilities"]["resources"].exists)
        #expect(reply["result"]["serverInfo"]["name"].string == "chatgpt-app-fcgi")
        #expect(reply["result"]["instructions"].string?.contains("get-items") == true)
    }

    /// 2026-07-28 has no handshake: a client asking for it through initialize is offered the
    /// newest handshake revision (MCP 2026-07-28 basic/versioning).
    @Test(arguments: ["2024-11-05", "1999-01-01", "next", "2026-07-28"])
    func unsupportedVersionGetsTheNewest(version: String) async {
        let reply = await initialize(version)
        #expect(reply["result"]["protocolVersion"].string == "2025-11-25")
    }

    /// Stateless: clients initialize again and again, on whatever thread or process.
    @Test func repeatedInitializeOnOneThreadWorks() async {
        for id in 1...3 {
            let reply = await initialize("2025-06-18", id: id)
            #expect(reply["id"].int == id)
            #expect(reply["result"]["protocolVersion"].string == "2025-06-18")
        }
    }

    /// The version of an initialize travels in its body; its header is not checked.
    @Test func initializeIgnoresTheVersionHeader() async {
        let body = #"{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
        let response = await harness.post(body, headers: [("MCP-Protocol-Version", "1999-01-01")])
        #expect(response.status == 200)
        #expect(JSON(bytes: response.body)["result"]["protocolVersion"].string == "2025-03-26")
    }

    @Test func pingAnswersEmpty() async {
        let reply = await harness.rpc("ping")
        #expect(reply["result"].object?.isEmpty == true)
    }
}
