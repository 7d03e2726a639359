import HTTPMessages
import Foundation
import MCPEndpoint
import Testing

/// Streamable HTTP rules of the stateless JSON transport (MCP 2025-06-18 / 2025-11-25 transports).
@Suite struct TransportTests {
    let harness = Harness()

    @Test func requestGetsJSON() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":"a","method":"ping"}"#, headers: [("MCP-Protocol-Version", "2025-11-25")])
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(JSON(bytes: response.body)["id"].string == "a")
        #expect(response.headers["Mcp-Session-Id"] == nil)
    }

    @Test func missingVersionHeaderMeans20250326() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(response.status == 200)
    }

    /// MCP 2026-07-28 basic/versioning: -32022 listing every revision served, newest first,
    /// whichever era the client is from.
    @Test func unknownVersionHeaderIs400With32022() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: [("MCP-Protocol-Version", "2024-11-05")])
        #expect(response.status == 400)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32022)
        #expect(reply["id"].int == 1)
        #expect(reply["error"]["data"]["supported"].array?.map(\.string) == ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"])
        #expect(reply["error"]["data"]["requested"].string == "2024-11-05")
    }

    @Test func unknownVersionHeaderOnABatchIs32022() async {
        let response = await harness.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, headers: [("MCP-Protocol-Version", "2099-01-01")])
        #expect(response.status == 400)
        let reply = JSON(bytes: response.body)
        #expect(reply["error"]["code"].int == -32022)
        #expect(reply["id"].isNull)
        #expect(reply["error"]["data"]["supported"].array?.count == 4)
    }

    @Test(arguments: [" 2025-06-18", "2025-06-18\t", " \t2025-11-25 "])
    func versionHeaderMayCarryOptionalWhitespace(_ header: String) async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: [("MCP-Protocol-Version", header)])
        #expect(response.status == 200)
    }

    @Test(arguments: ["", "2025-06-18x", "2025 06 18", "\u{A0}2025-06-18"])
    func otherVersionHeadersAre400(_ header: String) async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: [("MCP-Protocol-Version", header)])
        #expect(response.status == 400)
    }

    @Test func notificationIs202WithoutBody() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                                          headers: [("MCP-Protocol-Version", "2025-06-18")])
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
    }

    @Test func cancelledNotificationIs202() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}}"#)
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
    }

    @Test func clientResponseIs202WithoutBody() async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":9,"result":{}}"#)
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
    }

    /// Lenient Accept: proxies and clients send all sorts; never 406.
    @Test(arguments: [nil, "text/html", "*/*", "text/event-stream"])
    func anyAcceptIsServed(accept: String?) async {
        let response = await harness.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: accept.map { [("Accept", $0)] } ?? [])
        #expect(response.status == 200)
    }

    @Test(arguments: ["GET", "DELETE"])
    func getAndDeleteAre405WithAllow(method: String) {
        let response = harness.endpoint.respond(to: Harness.request("", method: method), caller: Harness.caller())
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
    }

    @Test(arguments: [nil, Harness.baseURL, "https://APP.example.com:443", "https://chatgpt.com", "https://chat.openai.com"])
    func trustedOriginPasses(origin: String?) {
        #expect(harness.endpoint.origins.allows(origin))
    }

    @Test(arguments: ["https://evil.example", "null", "http://app.example.com", "https://app.example.com.evil.example", "https://chatgpt.com:8443"])
    func foreignOriginIs403(origin: String) {
        #expect(!harness.endpoint.origins.allows(origin))
        #expect(MCPEndpoint.originRejection.status == 403)
    }

    /// The same JSON-RPC id from concurrent requests on different worker threads: nothing is
    /// routed by id between requests, so nobody gets another's answer.
    @Test func concurrentRequestsWithOneIdStayApart() async throws {
        let endpoint = harness.endpoint
        let threads = 8
        let rounds = 5
        let results = ResultsBox()
        let done = DispatchGroup()
        for index in 0..<threads {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                let caller = Harness.caller("did:privy:user\(index)")
                // Even users delete one item, so their lists differ from the odd users' ones.
                if index % 2 == 0 {
                    let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"item-action","arguments":{"item_id":"item-1","action":"delete"}}}"#
                    _ = endpoint.respond(to: Harness.request(body), caller: caller)
                }
                for _ in 0..<rounds {
                    let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get-items"}}"#
                    let response = endpoint.respond(to: Harness.request(body, headers: [("MCP-Protocol-Version", "2025-06-18")]),
                                                    caller: caller)
                    results.add(index: index, reply: JSON(bytes: response.body))
                }
            }
            thread.start()
        }
        await withCheckedContinuation { continuation in done.notify(queue: .global()) { continuation.resume() } }
        let all = results.all
        #expect(all.count == threads * rounds)
        for (index, reply) in all {
            #expect(reply["result"]["structuredContent"]["items"].array?.count == (index % 2 == 0 ? 2 : 3))
            #expect(reply["id"].int == 1)
        }
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(Int, JSON)] = []

    func add(index: Int, reply: JSON) { lock.withLock { stored.append((index, reply)) } }
    var all: [(Int, JSON)] { lock.withLock { stored } }
}
