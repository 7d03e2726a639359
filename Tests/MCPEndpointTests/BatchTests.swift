import Backend
import HTTPMessages
import Foundation
import MCPEndpoint
import Storage
import Testing

/// JSON-RPC batches: accepted only under protocol 2025-03-26 (removed in 2025-06-18).
@Suite struct BatchTests {
    let harness = Harness()

    @Test(arguments: [nil, "2025-03-26"])
    func batchUnder20250326GetsArrayInOrder(version: String?) async {
        let body = """
        [{"jsonrpc":"2.0","id":1,"method":"ping"},
         {"jsonrpc":"2.0","method":"notifications/initialized"},
         {"jsonrpc":"2.0","id":"two","method":"tools/list"},
         {"jsonrpc":"2.0","id":3,"method":"no/such"}]
        """
        let response = await harness.post(body, headers: version.map { [("MCP-Protocol-Version", $0)] } ?? [])
        #expect(response.status == 200)
        let replies = JSON(bytes: response.body).array ?? []
        #expect(replies.count == 3)
        #expect(replies.first?["id"].int == 1)
        #expect(replies.dropFirst().first?["id"].string == "two")
        #expect(replies.dropFirst().first?["result"]["tools"].array?.count == 2)
        #expect(replies.last?["error"]["code"].int == -32601)
    }

    @Test(arguments: ["2025-06-18", "2025-11-25"])
    func batchUnderNewerVersionsIsRejected(version: String) async {
        let response = await harness.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, headers: [("MCP-Protocol-Version", version)])
        #expect(response.status == 400)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32600)
    }

    @Test func emptyBatchIsInvalid() async {
        let response = await harness.post("[]")
        #expect(response.status == 400)
        #expect(JSON(bytes: response.body)["error"]["code"].int == -32600)
    }

    @Test func notificationsOnlyBatchIs202() async {
        let response = await harness.post(#"[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":4,"result":{}}]"#)
        #expect(response.status == 202)
        #expect(response.body.isEmpty)
    }

    @Test func invalidItemsGetTheirOwnErrors() async {
        let body = #"[1, {"jsonrpc":"2.0","id":5}, {"jsonrpc":"2.0","id":6,"method":"initialize","params":{}}, {"jsonrpc":"2.0","id":7,"method":"ping"}]"#
        let response = await harness.post(body)
        #expect(response.status == 200)
        let replies = JSON(bytes: response.body).array ?? []
        #expect(replies.count == 4)
        #expect(replies[0]["error"]["code"].int == -32600)
        #expect(replies[0]["id"].isNull)
        #expect(replies[1]["error"]["code"].int == -32600)
        #expect(replies[1]["id"].int == 5)
        #expect(replies[2]["error"]["code"].int == -32600)  // initialize must not be batched
        #expect(replies[3]["result"].exists)
    }
}

/// A user's API that takes `delay` seconds per call and counts the calls it received.
final class SlowAPI: APITransport, @unchecked Sendable {
    let kind = "api"
    let delay: Double
    private let lock = NSLock()
    private var count = 0
    private var timeouts: [Double?] = []

    init(delay: Double) { self.delay = delay }

    var calls: Int { lock.withLock { count } }
    var timeoutsSeen: [Double?] { lock.withLock { timeouts } }

    func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse {
        lock.withLock {
            count += 1
            timeouts.append(request.timeout)
        }
        Thread.sleep(forTimeInterval: delay)
        return APIResponse(status: 200, body: Array(#"{"items":[]}"#.utf8))
    }
}

/// Batches are bounded (issue: a 283 KB batch once made 4,000 calls to the user's API): at most
/// `MCP_MAX_BATCH` items, and one time limit for all of a request's calls to the API.
@Suite struct BatchLimitTests {
    static func batch(of count: Int, method: String = "tools/call") -> String {
        let item = method == "tools/call" ? #""method":"tools/call","params":{"name":"get-items","arguments":{}}"# : #""method":"ping""#
        return "[" + (1...count).map { #"{"jsonrpc":"2.0","id":\#($0),\#(item)}"# }.joined(separator: ",") + "]"
    }

    static func settings(maxBatch: Int = 10, timeLimit: Double = 10) -> MCPEndpointSettings {
        var settings = MCPEndpointSettings(serverBaseURL: Harness.baseURL)
        settings.maxBatchItems = maxBatch
        settings.requestTimeLimit = timeLimit
        return settings
    }

    @Test func aBatchOverTheCapIsRefusedWholeAndNothingRuns() async {
        let api = SlowAPI(delay: 0)
        let harness = Harness(api: api, settings: Self.settings(maxBatch: 3))
        let response = await harness.post(Self.batch(of: 4))
        #expect(response.status == 400)
        let error = JSON(bytes: response.body)["error"]
        #expect(error["code"].int == -32600)
        #expect(error["message"].string == "Invalid Request: a batch may hold at most 3 items, this one has 4")
        #expect(api.calls == 0)
    }

    @Test func aBatchAtTheCapRunsEveryItem() async {
        let api = SlowAPI(delay: 0)
        let harness = Harness(api: api, settings: Self.settings(maxBatch: 3))
        let response = await harness.post(Self.batch(of: 3))
        #expect(response.status == 200)
        let replies = JSON(bytes: response.body).array ?? []
        #expect(replies.map { $0["id"].int } == [1, 2, 3])
        #expect(replies.allSatisfy { $0["result"]["isError"].bool != true && $0["error"].exists == false })
        #expect(api.calls == 3)
    }

    @Test func itemsNotStartedBeforeTheTimeLimitAreAnsweredAsNotRun() async {
        let api = SlowAPI(delay: 0.3)
        let harness = Harness(api: api, settings: Self.settings(maxBatch: 10, timeLimit: 0.5))
        let response = await harness.post(Self.batch(of: 6))
        #expect(response.status == 200)
        let replies = JSON(bytes: response.body).array ?? []
        #expect(replies.count == 6)
        // Two calls start within 0.5 s (at 0 and 0.3 s); the second is cut to what was left.
        #expect(api.calls == 2)
        #expect(replies.prefix(2).allSatisfy { $0["result"].exists })
        for reply in replies.dropFirst(2) {
            #expect(reply["error"]["code"].int == -32603)
            #expect(reply["error"]["data"]["notRun"].bool == true)
            #expect(reply["error"]["message"].string?.hasPrefix("Not run: the request's time limit of 0.5 s passed") == true)
        }
        #expect(replies.map { $0["id"].int } == [1, 2, 3, 4, 5, 6])
        let secondTimeout = api.timeoutsSeen.last.flatMap { $0 } ?? .infinity
        #expect(secondTimeout < 0.5)
    }

    @Test func aSingleCallGetsAtMostTheRequestTimeLimit() async {
        let api = SlowAPI(delay: 0)
        let harness = Harness(api: api, settings: Self.settings(timeLimit: 2))
        _ = await harness.callTool("get-items")
        let timeout = api.timeoutsSeen.first.flatMap { $0 } ?? .infinity
        #expect(timeout <= 2 && timeout > 1.5)
    }
}
