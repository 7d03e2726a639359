import Backend
import Foundation
import Storage
import Testing

/// The built-in demo items API answers the contract documented on `DemoItemsAPI` (the one
/// `examples/items/app.json` calls), per signed-in user, in process.
@Suite struct DemoItemsAPITests {
    let api = DemoItemsAPI(store: MemoryStore())
    static let alice = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1",
                              resource: "https://app.example.com/mcp", privyAccessToken: "unused")
    static let bob = Caller(userID: "did:privy:bob", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-2", jti: "jti-2",
                            resource: "https://app.example.com/mcp", privyAccessToken: "unused")

    /// The answer's status and its body as a JSON object.
    private func send(_ method: String, _ target: String, body: String? = nil,
                      as caller: Caller = DemoItemsAPITests.alice) throws -> (status: Int, document: [String: Any]) {
        let response = try api.send(APIRequest(method: method, target: target, body: body.map { Array($0.utf8) }), for: caller)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                                    "not a JSON object: \(String(decoding: response.body, as: UTF8.self))")
        return (response.status, document)
    }

    private func items(of caller: Caller = DemoItemsAPITests.alice) throws -> [[String: Any]] {
        let (status, document) = try send("GET", "/items", as: caller)
        #expect(status == 200)
        return document["items"] as? [[String: Any]] ?? []
    }

    private func action(_ action: String, on itemID: String, as caller: Caller = DemoItemsAPITests.alice) throws -> (status: Int, item: [String: Any]?) {
        let (status, document) = try send("POST", "/items/\(itemID)/actions", body: #"{"action":"\#(action)"}"#, as: caller)
        return (status, document["item"] as? [String: Any])
    }

    @Test func everyUserStartsWithTheSamples() throws {
        let items = try items()
        #expect(items.map { $0["title"] as? String } == DemoItemSamples.titles)
        #expect(items.map { $0["id"] as? String } == ["item-1", "item-2", "item-3"])
        for item in items {
            #expect(["open", "done"].contains(item["status"] as? String))
            #expect((item["createdAt"] as? String)?.hasSuffix("Z") == true, "an ISO 8601 UTC timestamp")
        }
    }

    @Test func queryOfTheListIsIgnored() throws {
        #expect(try send("GET", "/items?limit=1").document["items"] as? [Any] != nil)
    }

    @Test func actionsAnswerTheChangedItemAndChangeOnlyThatUsersItems() throws {
        let reopened = try action("reopen", on: "item-1")
        #expect(reopened.status == 200)
        #expect(reopened.item?["id"] as? String == "item-1")
        #expect(reopened.item?["status"] as? String == "open")
        #expect(try action("complete", on: "item-2").item?["status"] as? String == "done")
        let deleted = try action("delete", on: "item-3")
        #expect(deleted.status == 200)
        #expect(deleted.item?["id"] as? String == "item-3")

        #expect(try items().map { $0["id"] as? String } == ["item-1", "item-2"])
        #expect(try items().map { $0["status"] as? String } == ["open", "done"])
        #expect(try items(of: Self.bob).count == 3)
    }

    /// The item id is one percent-encoded path segment, decoded once (as the HTTP transport's
    /// caller, `ManifestRequest`, encodes it).
    @Test func encodedItemIDIsDecoded() throws {
        let answer = try action("complete", on: "item%2D2")
        #expect(answer.status == 200)
        #expect(answer.item?["id"] as? String == "item-2")
    }

    @Test(arguments: [
        (name: "an unknown id", method: "POST", target: "/items/nope/actions", body: #"{"action":"complete"}"#, status: 404),
        (name: "an encoded slash is not a path", method: "POST", target: "/items/..%2Fitem-1/actions", body: #"{"action":"complete"}"#, status: 404),
        (name: "an empty id", method: "POST", target: "/items//actions", body: #"{"action":"complete"}"#, status: 404),
        (name: "an unknown path", method: "GET", target: "/admin", body: nil, status: 404),
        (name: "the list under another method", method: "DELETE", target: "/items", body: nil, status: 405),
        (name: "an action under another method", method: "GET", target: "/items/item-1/actions", body: nil, status: 405),
        (name: "an unknown action", method: "POST", target: "/items/item-1/actions", body: #"{"action":"explode"}"#, status: 400),
        (name: "a body that is not JSON", method: "POST", target: "/items/item-1/actions", body: "action=complete", status: 400),
        (name: "no body", method: "POST", target: "/items/item-1/actions", body: nil, status: 400),
    ] as [(name: String, method: String, target: String, body: String?, status: Int)])
    func otherRequestsAreRefusedWithAnErrorObject(_ testCase: (name: String, method: String, target: String, body: String?, status: Int)) throws {
        let answer = try send(testCase.method, testCase.target, body: testCase.body)
        #expect(answer.status == testCase.status, "\(testCase.name)")
        #expect(answer.document["error"] is String, "\(testCase.name)")
        // Nothing changed.
        #expect(try items().map { $0["status"] as? String } == ["done", "open", "open"], "\(testCase.name)")
    }
}
