import AppManifest
import Backend
import Foundation
import HTTPMessages
import MCP
import MCPEndpoint
import Storage
import Testing

/// Stands in for the network only: records every request a tool sends and answers a canned
/// response (or fails as a transport would), so the mapping of arguments to the call and of the
/// answer to the result can be read exactly.
final class RecordingAPI: APITransport, @unchecked Sendable {
    let kind = "recording"
    private let lock = NSLock()
    private let answer: Result<APIResponse, APIError>
    private var received: [APIRequest] = []
    private var callers: [Caller] = []

    init(status: Int = 200, body: String = "{}") {
        answer = .success(APIResponse(status: status, body: Array(body.utf8)))
    }

    init(failing error: APIError) {
        answer = .failure(error)
    }

    var requests: [APIRequest] { lock.withLock { received } }
    var last: APIRequest? { requests.last }
    var lastCaller: Caller? { lock.withLock { callers.last } }

    func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse {
        lock.withLock {
            received.append(request)
            callers.append(caller)
        }
        return try answer.get()
    }
}

/// A code tool: what the manifest cannot express, written in Swift and registered beside it.
struct EchoCodeTool: AppTool {
    let requiredScope = "notes.read"
    let descriptor = ToolDescriptor(
        tool: Tool(name: "echo", description: "Says the text back.",
                   inputSchema: ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]]),
        securitySchemes: AppToolMetadata.securitySchemes(scopes: ["notes.read"]))

    func call(_ arguments: [String: Value], context: ToolContext) -> CallTool.Result {
        guard case .string(let text)? = arguments["text"] else { return context.failure("Invalid argument \"text\": is required") }
        return context.success(text: text, structured: ["echo": .string(text)])
    }
}

/// A manifest tool is one HTTP call: its arguments fill in the path, query, body and headers the
/// manifest maps them to, and the answer becomes the result by the manifest's pointers, templates
/// and error texts (docs/MANIFEST.md). Driven through `/mcp` from a manifest written for the
/// test, over `RecordingAPI`.
@Suite struct ManifestToolTests {
    static let apiKey = "notes-key-7c1e0b5a"
    static let caller = Harness.caller(scopes: ["notes.read", "notes.write"])

    /// A notes API's tools, one per way of mapping a call.
    static let manifest = #"""
    {
      "server": { "name": "manifest-tests", "title": "Manifest tests", "version": "2.1.0",
                  "instructions": "Tools for the manifest tool tests." },
      "scopes": [
        { "name": "notes.read", "consent": "See your notes" },
        { "name": "notes.write", "consent": "Change your notes" }
      ],
      "tools": [
        {
          "name": "search-notes", "description": "Find notes.", "scope": "notes.read",
          "inputSchema": { "type": "object", "additionalProperties": false,
                           "properties": { "q": { "type": "string" }, "limit": { "type": "integer" },
                                           "tag": { "type": "array", "items": { "type": "string" } } } },
          "call": { "method": "GET", "path": "/notes", "query": ["q", "limit", "tag"],
                    "headers": { "X-Notes-Api-Key": "${NOTES_API_KEY}" } },
          "result": { "structuredContent": { "notes": "/notes", "total": "/total" },
                      "text": "{{/total}} notes match {{q}}; here are {{/notes|count}}.",
                      "errors": { "5xx": "The notes service is not answering; try again." } }
        },
        {
          "name": "show-note", "description": "Open a note.", "scope": "notes.read",
          "inputSchema": { "type": "object", "additionalProperties": false, "required": ["id"],
                           "properties": { "id": { "type": "string", "minLength": 1 } } },
          "call": { "method": "GET", "path": "/notes/{id}" },
          "result": { "structuredContent": "/note", "text": "{{/note/title}}",
                      "errors": { "404": "There is no note {{id}}.", "4xx": "The notes API refused: {{/error}}" } }
        },
        {
          "name": "create-note", "description": "Write a note in a folder.", "scope": "notes.write",
          "inputSchema": { "type": "object", "additionalProperties": false, "required": ["folder", "title"],
                           "properties": { "folder": { "type": "string" }, "title": { "type": "string" },
                                           "tags": { "type": "array", "items": { "type": "string" } } } },
          "call": { "method": "POST", "path": "/folders/{folder}/notes", "body": "arguments" },
          "result": { "structuredContent": "/note" }
        },
        {
          "name": "label-note", "description": "Label a note.", "scope": "notes.write",
          "inputSchema": { "type": "object", "additionalProperties": false, "required": ["id", "label"],
                           "properties": { "id": { "type": "string" }, "label": { "type": "string" },
                                           "pinned": { "type": "boolean" }, "color": { "type": "string" } } },
          "call": { "method": "PATCH", "path": "/notes/{id}",
                    "body": { "label": { "name": "{{label}}", "color": "{{color}}" }, "pinned": "{{pinned}}", "source": "chatgpt" } },
          "result": { "text": "Labelled {{id}}." }
        },
        {
          "name": "delete-note", "description": "Delete a note.", "scope": "notes.write",
          "inputSchema": { "type": "object", "additionalProperties": false, "required": ["id"],
                           "properties": { "id": { "type": "string" } } },
          "call": { "method": "DELETE", "path": "/notes/{id}" }
        },
        {
          "name": "note-stats", "description": "Counts, for the widget only.", "scope": "notes.read", "visibility": "private",
          "inputSchema": { "type": "object", "properties": {}, "additionalProperties": false },
          "call": { "method": "GET", "path": "/stats" }
        }
      ]
    }
    """#

    static let manifestPath: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-tool-tests-\(UUID().uuidString).json").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(manifest.utf8))
        return path
    }()

    private func makeHarness(_ api: RecordingAPI, codeTools: [any AppTool] = []) -> Harness {
        Harness(api: api, manifestPath: Self.manifestPath, environment: ["NOTES_API_KEY": Self.apiKey], codeTools: codeTools)
    }

    /// Calls a tool through `/mcp` and returns its result, and the whole reply as sent.
    private func call(_ api: RecordingAPI, _ name: String, _ arguments: [String: Any] = [:]) async -> (result: JSON, reply: String) {
        let body = JSON.text(["jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": ["name": name, "arguments": arguments]])
        let response = await makeHarness(api).post(body, headers: [("MCP-Protocol-Version", "2025-06-18")], caller: Self.caller)
        return (JSON(bytes: response.body)["result"], String(decoding: response.body, as: UTF8.self))
    }

    private func bodyJSON(_ request: APIRequest?) -> JSON {
        JSON(bytes: request?.body ?? [])
    }

    // MARK: The call

    @Test(arguments: [
        (name: "every query argument, in the manifest's order", arguments: ["tag": ["a", "b c"], "q": "milk & eggs", "limit": 5] as [String: any Sendable],
         target: "/notes?q=milk%20%26%20eggs&limit=5&tag=a&tag=b%20c"),
        (name: "an absent optional argument is left out", arguments: ["limit": 3], target: "/notes?limit=3"),
        (name: "no arguments, no query", arguments: [:], target: "/notes"),
    ])
    func queryFollowsTheMapping(name: String, arguments: [String: any Sendable], target: String) async {
        let api = RecordingAPI(body: #"{"notes":[],"total":0}"#)
        _ = await call(api, "search-notes", arguments)
        #expect(api.last?.method == "GET", "\(name)")
        #expect(api.last?.target == target, "\(name)")
        #expect(api.last?.body == nil, "\(name)")
    }

    /// Each `{name}` is exactly one segment however the argument is spelled: it can never climb
    /// out of the path, add a query or a fragment (the API decodes it once, as the id it was).
    /// Every "." is encoded too, since HTTP clients and servers collapse "." and ".." segments.
    @Test(arguments: [
        ("n1", "/notes/n1"),
        ("../admin", "/notes/%2E%2E%2Fadmin"),
        ("c.3", "/notes/c%2E3"),
        ("..", "/notes/%2E%2E"),
        ("a/b", "/notes/a%2Fb"),
        ("x?y#z", "/notes/x%3Fy%23z"),
        ("b 2", "/notes/b%202"),
    ])
    func pathArgumentIsOneEncodedSegment(id: String, target: String) async {
        let api = RecordingAPI(body: #"{"note":{"id":"x","title":"X"}}"#)
        _ = await call(api, "show-note", ["id": id])
        #expect(api.last?.target == target)
    }

    @Test func argumentsBodyHoldsWhatThePathDidNotUse() async {
        let api = RecordingAPI(body: #"{"note":{"id":"n9","title":"Plan"}}"#)
        _ = await call(api, "create-note", ["folder": "work/2026", "title": "Plan", "tags": ["q1"]])
        let request = api.last
        #expect(request?.method == "POST")
        #expect(request?.target == "/folders/work%2F2026/notes")
        #expect(bodyJSON(request).keys == ["title", "tags"])
        #expect(bodyJSON(request)["title"].string == "Plan")
        #expect(bodyJSON(request)["tags"][0].string == "q1")
    }

    /// A template keeps each argument's JSON type, leaves out keys of absent arguments and keeps
    /// its literal strings.
    @Test func bodyTemplateIsFilledIn() async {
        let api = RecordingAPI(body: #"{"ok":true}"#)
        let (result, _) = await call(api, "label-note", ["id": "n1", "label": "urgent", "pinned": true])
        #expect(api.last?.method == "PATCH")
        #expect(api.last?.target == "/notes/n1")
        let body = bodyJSON(api.last)
        #expect(body.keys == ["label", "pinned", "source"])
        #expect(body["label"].keys == ["name"])
        #expect(body["label"]["name"].string == "urgent")
        #expect(body["pinned"].bool == true)
        #expect(body["source"].string == "chatgpt")
        #expect(result["content"][0]["text"].string == "Labelled n1.")
    }

    @Test func manifestHeaderReachesTheAPIAndNeverTheResult() async {
        for api in [RecordingAPI(body: #"{"notes":[],"total":0}"#), RecordingAPI(status: 503, body: #"{"error":"down"}"#),
                    RecordingAPI(failing: .unavailable("cannot connect"))] {
            let (_, reply) = await call(api, "search-notes", ["q": "x"])
            #expect(api.last?.headers.map(\.name) == ["X-Notes-Api-Key"])
            #expect(api.last?.headers.map(\.value) == [Self.apiKey])
            #expect(!reply.contains(Self.apiKey), "\(reply)")
        }
        // Only the tools that declare it send it.
        let other = RecordingAPI(body: #"{"note":{"id":"n1","title":"T"}}"#)
        _ = await call(other, "show-note", ["id": "n1"])
        #expect(other.last?.headers.isEmpty == true)
    }

    @Test func callIsMadeAsTheCaller() async {
        let api = RecordingAPI(body: #"{"note":{"id":"n1","title":"T"}}"#)
        _ = await call(api, "show-note", ["id": "n1"])
        #expect(api.lastCaller?.privyAccessToken == Self.caller.privyAccessToken)
    }

    @Test(arguments: [
        (name: "a missing required argument", arguments: [:] as [String: any Sendable], field: "id"),
        (name: "a wrong type", arguments: ["id": 7], field: "id"),
        (name: "too short", arguments: ["id": ""], field: "id"),
        (name: "an unknown argument", arguments: ["id": "n1", "force": true], field: "force"),
    ])
    func invalidArgumentsNeverReachTheAPI(name: String, arguments: [String: any Sendable], field: String) async {
        let api = RecordingAPI()
        let (result, _) = await call(api, "show-note", arguments)
        #expect(result["isError"].bool == true, "\(name)")
        #expect(result["content"][0]["text"].string?.hasPrefix("Invalid argument \"\(field)\"") == true, "\(name): \(result)")
        #expect(api.requests.isEmpty, "\(name)")
    }

    // MARK: The result

    @Test func pointerPicksTheStructuredContentAndTheTextTemplateReadsTheAnswer() async {
        let api = RecordingAPI(body: #"{"note":{"id":"n1","title":"Groceries","tags":["home"]},"etag":"W/1"}"#)
        let (result, _) = await call(api, "show-note", ["id": "n1"])
        #expect(result["isError"].bool == false)
        #expect(result["structuredContent"].keys == ["id", "title", "tags"])
        #expect(result["structuredContent"]["title"].string == "Groceries")
        #expect(result["content"][0]["text"].string == "Groceries")
    }

    @Test func fieldsBuildTheStructuredContentAndTheTextCountsAndQuotesArguments() async {
        let api = RecordingAPI(body: #"{"notes":[{"id":"n1"},{"id":"n2"}],"total":7,"cursor":"c2"}"#)
        let (result, _) = await call(api, "search-notes", ["q": "milk"])
        #expect(result["structuredContent"].keys == ["notes", "total"])
        #expect(result["structuredContent"]["total"].int == 7)
        #expect(result["structuredContent"]["notes"].array?.count == 2)
        #expect(result["content"][0]["text"].string == "7 notes match milk; here are 2.")
    }

    @Test func withoutATextTheStructuredContentIsTheText() async {
        let api = RecordingAPI(status: 201, body: #"{"note":{"id":"n9","title":"Plan"}}"#)
        let (result, _) = await call(api, "create-note", ["folder": "f", "title": "Plan"])
        #expect(result["isError"].bool == false)
        #expect(result["content"][0]["text"].string == #"{"id":"n9","title":"Plan"}"#)
    }

    @Test func emptyAnswerIsAnEmptyObject() async {
        let api = RecordingAPI(status: 204, body: "")
        let (result, _) = await call(api, "delete-note", ["id": "n1"])
        #expect(api.last?.method == "DELETE")
        #expect(api.last?.body == nil)
        #expect(result["isError"].bool == false)
        #expect(result["structuredContent"].object?.isEmpty == true)
        #expect(result["content"][0]["text"].string == "{}")
    }

    /// MCP wants `structuredContent` to be an object: anything else the manifest points at is a
    /// clear tool error rather than a malformed result.
    @Test(arguments: [
        (name: "an array where the note should be", tool: "show-note", body: #"{"note":[1,2]}"#,
         problem: #"the answer at "/note" is not a JSON object"#),
        (name: "a string where the note should be", tool: "show-note", body: #"{"note":"n1"}"#,
         problem: #"the answer at "/note" is not a JSON object"#),
        (name: "a whole body that is an array", tool: "delete-note", body: #"[{"id":"n1"}]"#,
         problem: "the answer is not a JSON object"),
        (name: "nothing at the pointer", tool: "show-note", body: #"{"item":{"id":"n1"}}"#,
         problem: #"the answer has nothing at "/note""#),
    ])
    func structuredContentThatIsNoObjectIsAClearError(name: String, tool: String, body: String, problem: String) async {
        let (result, _) = await call(RecordingAPI(body: body), tool, ["id": "n1"])
        #expect(result["isError"].bool == true, "\(name)")
        #expect(!result["structuredContent"].exists, "\(name)")
        #expect(result["content"][0]["text"].string
            == "Could not complete the request: the API gave an unusable answer: \(problem). Try again in a moment.", "\(name): \(result)")
    }

    @Test func bodyThatIsNotJSONIsAClearError() async {
        let (result, _) = await call(RecordingAPI(body: "<html>oops</html>"), "show-note", ["id": "n1"])
        #expect(result["isError"].bool == true)
        #expect(result["content"][0]["text"].string?.contains("the body is not JSON") == true, "\(result)")
    }

    /// A status's own text first, then its class's, then a plain one naming the status.
    @Test(arguments: [
        (name: "the status's own text, with an argument", tool: "show-note", status: 404, body: #"{"error":"gone"}"#,
         text: "There is no note n404."),
        (name: "the class's text, with a value of the answer", tool: "show-note", status: 409, body: #"{"error":"locked"}"#,
         text: "The notes API refused: locked"),
        (name: "no text for the status", tool: "show-note", status: 500, body: #"{"error":"boom"}"#, text: "The API answered HTTP 500."),
        (name: "the 5xx class", tool: "search-notes", status: 503, body: "", text: "The notes service is not answering; try again."),
        (name: "a tool without error texts", tool: "create-note", status: 422, body: #"{"error":"bad"}"#, text: "The API answered HTTP 422."),
    ])
    func errorStatusesUseTheManifestsTexts(name: String, tool: String, status: Int, body: String, text: String) async {
        let arguments: [String: Any] = switch tool {
        case "create-note": ["folder": "f", "title": "T"]
        case "search-notes": ["q": "x"]
        default: ["id": "n404"]
        }
        let harness = makeHarness(RecordingAPI(status: status, body: body))
        let result = await harness.callTool(tool, arguments, caller: Self.caller)
        #expect(result["isError"].bool == true, "\(name)")
        #expect(result["content"][0]["text"].string == text, "\(name)")
        #expect(!result["structuredContent"].exists, "\(name)")
        // Only 401 and 403 are about the sign-in.
        #expect(!result["_meta"]["mcp/www_authenticate"].exists, "\(name)")
        #expect(harness.revocations.revoked.isEmpty, "\(name)")
    }

    /// The API no longer accepts the user's token: no error text applies, the grant is revoked
    /// and ChatGPT is asked to sign the user in again.
    @Test(arguments: [401, 403])
    func rejectedTokenAsksToSignInAgain(status: Int) async {
        let api = RecordingAPI(status: status, body: #"{"error":"expired"}"#)
        let harness = makeHarness(api)
        let result = await harness.callTool("show-note", ["id": "n1"], caller: Self.caller)
        #expect(result["isError"].bool == true)
        #expect(result["_meta"]["mcp/www_authenticate"].string?.contains(#"error="invalid_token""#) == true)
        #expect(harness.revocations.revoked.map(\.grantID) == [Self.caller.grantID])
    }

    @Test func unreachableAPIIsAClearError() async {
        let (result, _) = await call(RecordingAPI(failing: .unavailable("no answer within 2 seconds")), "show-note", ["id": "n1"])
        #expect(result["isError"].bool == true)
        #expect(result["content"][0]["text"].string
            == "Could not complete the request: the API is unavailable: no answer within 2 seconds. Try again in a moment.")
    }

    // MARK: The list

    @Test func codeToolsAreListedAfterTheManifestsTools() async {
        let harness = makeHarness(RecordingAPI(), codeTools: [EchoCodeTool()])
        let tools = await harness.rpc("tools/list", caller: Self.caller)["result"]["tools"].array ?? []
        #expect(tools.map(\.["name"].string) == ["search-notes", "show-note", "create-note", "label-note", "delete-note", "note-stats", "echo"])
        let echoed = await harness.callTool("echo", ["text": "hi"], caller: Self.caller)
        #expect(echoed["structuredContent"]["echo"].string == "hi")
    }

    @Test func descriptorsCarryTheManifestsScopeAndVisibility() async {
        let tools = await makeHarness(RecordingAPI()).rpc("tools/list", caller: Self.caller)["result"]["tools"].array ?? []
        let byName = Dictionary(uniqueKeysWithValues: tools.map { ($0["name"].string ?? "", $0) })
        #expect(byName["create-note"]?["securitySchemes"][0]["scopes"][0].string == "notes.write")
        #expect(byName["search-notes"]?["_meta"]["securitySchemes"][0]["scopes"][0].string == "notes.read")
        // No widget: no template to render in.
        #expect(byName["search-notes"]?["_meta"]["openai/outputTemplate"].exists == false)
        #expect(byName["note-stats"]?["_meta"]["openai/visibility"].string == "private")
        #expect(byName["note-stats"]?["_meta"]["ui"]["visibility"][0].string == "app")
        #expect(byName["show-note"]?["_meta"]["openai/visibility"].exists == false)
    }

    @Test func serverNameAndInstructionsAreTheManifests() async {
        let reply = await makeHarness(RecordingAPI()).rpc("initialize", params: [
            "protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any], "clientInfo": ["name": "t", "version": "1"],
        ], caller: Self.caller)
        #expect(reply["result"]["serverInfo"]["name"].string == "manifest-tests")
        #expect(reply["result"]["serverInfo"]["version"].string == "2.1.0")
        #expect(reply["result"]["instructions"].string == "Tools for the manifest tool tests.")
    }
}
