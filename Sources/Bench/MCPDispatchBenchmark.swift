import AppComposition
import AppManifest
import Backend
import Configuration
import Crypto
import Foundation
import HTTPMessages
import MCP
import MCPEndpoint
import OAuth
import Routes
import Storage

/// `/mcp` dispatch in-process: our `MCPEndpoint` (what the app runs: one instance shared by every
/// worker thread, `MethodDispatcher` underneath) beside the official Swift SDK's way, a `Server`
/// with `withMethodHandler` on a `StatelessHTTPServerTransport`, one per worker thread. Both get
/// the same request bytes, the same tool descriptors and the same demo items API (in-memory
/// store, one fixed user); no HTTP, no authentication. `get-items` is timed twice in our
/// endpoint: as the items manifest declares it, and as a code tool doing the same by hand, so
/// the cost of the manifest's generality shows. Figures are requests per CPU second of the
/// process, on 1 worker thread and on the default `FCGI_THREADS`.
struct MCPDispatchBenchmark {
    static let duration: Double = 1.5
    static let host = "app.example.com"
    static let headers: [(name: String, value: String)] = [
        ("Host", host), ("Origin", "https://chatgpt.com"), ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"), ("MCP-Protocol-Version", "2025-06-18"),
    ]

    /// One request both servers answer, and what of its answer must be the same in both.
    struct Probe: Sendable {
        let label: String
        let body: [UInt8]
        let essence: @Sendable (_ result: [String: Any]) -> Any?
    }

    static let probes = [
        Probe(label: "ping", body: Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)) { $0 },
        Probe(label: "tools/list", body: Array(#"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}"#.utf8)) { result in
            (result["tools"] as? [[String: Any]])?.map { $0["name"] ?? NSNull() }
        },
        Probe(label: "tools/call get-items-code",
              body: Array(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get-items-code","arguments":{}}}"#.utf8),
              essence: itemsEssence),
    ]

    /// `get-items` through the manifest: only our endpoint answers it (the SDK server has the
    /// code tool), and its items must be the code tool's.
    static let manifestProbe = Probe(
        label: "tools/call get-items (manifest)",
        body: Array(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"get-items","arguments":{}}}"#.utf8),
        essence: itemsEssence)

    @Sendable static func itemsEssence(_ result: [String: Any]) -> Any? {
        guard let items = (result["structuredContent"] as? [String: Any])?["items"] as? [Any], !items.isEmpty else { return nil }
        return [result["isError"] ?? NSNull(), items]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run() {
        do {
            try measure()
        } catch {
            print("mcp-dispatch: failed: \(error)")
        }
    }

    private static func measure() throws {
        let caller = Caller(userID: "did:privy:bench", clientID: "bench", scopes: ["read", "write", "offline_access"],
                            grantID: "bench", jti: "bench", resource: "https://\(host)/mcp", privyAccessToken: "privy-bench")
        // Wired as FCGIApp wires it; the caller is already authenticated, as after MCPRoute's gate.
        let configuration = try Configuration.load(from: ["SERVER_BASE_URL": "https://" + host, "PRIVY_APP_ID": "bench",
                                                           // One caller makes every call: no per-user budget.
                                                           "MCP_CALLS_PER_USER_PER_MINUTE": "0",
                                                           "BACKEND_CALLS_PER_USER_PER_MINUTE": "0"])
        let codeTools: [any AppTool] = [GetItemsCodeTool()]
        let manifest = try ManifestFile.load(configuration, codeTools: codeTools).get()
        let store = MemoryStore()
        let api = DemoItemsAPI(store: store)
        let parts = AppParts(store: store, signingKeys: SigningKeys(signingKey: try RSAPrivateKey.generate()),
                             identity: NoLogin(), manifest: manifest, codeTools: codeTools,
                             widgetsDirectory: configuration.widgetsDirectory, api: api)
        guard let endpoint = AppComposition.services(configuration, parts: parts).mcp else { return }
        // The request as FastCGIInput hands it on (headers read, id assigned), measured from there:
        // what /mcp does around the bearer gate, the origin check, then the endpoint.
        let requestHeaders = HTTPHeaders(headers.map { ($0.name, $0.value) })
        let ours: @Sendable ([UInt8]) -> (status: Int, body: [UInt8]) = { body in
            let request = HTTPMessages.Request(method: "POST", path: "/mcp", headers: requestHeaders, body: body, requestID: "bench")
            let answer = endpoint.origins.allows(request.headers["Origin"]) ? endpoint.respond(to: request, caller: caller)
                : MCPEndpoint.originRejection
            return (answer.status, answer.body)
        }

        // The SDK servers list our descriptors, as our tools/list shows them.
        let listed = try JSONDecoder().decode(Response<ListTools>.self, from: Data(ours(probes[1].body).body)).result.get().tools
        let threadCounts = [1, Configuration.defaultThreads]
        let servers = try (0..<threadCounts.max()!).map { _ in
            try SDKItemsServer(tools: listed, api: api, user: caller,
                               host: host, origins: ["https://" + host, "https://chatgpt.com"])
        }
        let sdk: @Sendable (Int, [UInt8]) throws -> (status: Int, body: [UInt8]) = { thread, body in
            let answer = try servers[thread].handle(HTTPRequest(method: "POST", headers: Dictionary(headers, uniquingKeysWith: { $1 }),
                                                                 body: Data(body), path: "/mcp"))
            return (answer.statusCode, Array(answer.bodyData ?? Data()))
        }

        // Different answers would mean different work: compare before timing anything.
        for probe in probes {
            let mine = try essence(of: ours(probe.body), probe)
            let theirs = try essence(of: sdk(0, probe.body), probe)
            guard mine == theirs else {
                throw Failure(description: "the SDK server and ours answer \(probe.label) differently, so their rates would not be "
                    + "comparable; ours: \(mine.prefix(300)), SDK: \(theirs.prefix(300))")
            }
        }
        guard try essence(of: ours(manifestProbe.body), manifestProbe) == essence(of: ours(probes[2].body), probes[2]) else {
            throw Failure(description: "get-items answers differently through the manifest and as a code tool")
        }

        for threads in threadCounts {
            let threadsLabel = threads == 1 ? "1 thread" : "\(threads) threads"
            for probe in probes {
                let body = probe.body
                let ourRate = try CPUTimeRate.measureProcess(threads: threads, seconds: duration) { _ in
                    { try expectOK(ours(body), probe) }
                }
                let sdkRate = try CPUTimeRate.measureProcess(threads: threads, seconds: duration) { thread in
                    { try expectOK(sdk(thread, body), probe) }
                }
                print("mcp-dispatch \(probe.label), \(threadsLabel): \(Int(ourRate)) requests/s, \(format(1e6 / ourRate)) µs each")
                print("reference swift-sdk Server \(probe.label), \(threadsLabel): \(Int(sdkRate)) requests/s, \(format(1e6 / sdkRate)) µs each")
                print("mcp-dispatch / swift-sdk Server (\(probe.label), \(threadsLabel)): \(format(ourRate / sdkRate))")
            }
            // The manifest tool beside the code tool: three alternating rounds, the best of each,
            // so a busy moment of the machine does not land on one side only.
            let manifestBody = manifestProbe.body
            let codeBody = probes[2].body
            var manifestRate = 0.0
            var codeRate = 0.0
            for _ in 0..<3 {
                manifestRate = max(manifestRate, try CPUTimeRate.measureProcess(threads: threads, seconds: duration) { _ in
                    { try expectOK(ours(manifestBody), manifestProbe) }
                })
                codeRate = max(codeRate, try CPUTimeRate.measureProcess(threads: threads, seconds: duration) { _ in
                    { try expectOK(ours(codeBody), probes[2]) }
                })
            }
            print("mcp-dispatch \(manifestProbe.label), \(threadsLabel): \(Int(manifestRate)) requests/s, \(format(1e6 / manifestRate)) µs each")
            print("reference code tool get-items-code, \(threadsLabel): \(Int(codeRate)) requests/s, \(format(1e6 / codeRate)) µs each")
            print("manifest tool / code tool (\(threadsLabel)): \(String(format: "%.2f", manifestRate / codeRate)) (target: at least 0.91, at most 10% slower)")
        }
    }

    /// The part of a successful answer both servers must agree on, as sorted-key JSON.
    private static func essence(of answer: (status: Int, body: [UInt8]), _ probe: Probe) throws -> String {
        try expectOK(answer, probe)
        let message = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        guard let result = message?["result"] as? [String: Any], let essence = probe.essence(result) else {
            throw Failure(description: "\(probe.label) answered without the expected result: \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: essence, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    private static func expectOK(_ answer: (status: Int, body: [UInt8]), _ probe: Probe) throws {
        guard answer.status == 200 else {
            throw Failure(description: "\(probe.label) answered \(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
    }

    private static func format(_ value: Double) -> String {
        String(format: value < 100 ? "%.1f" : "%.0f", value)
    }
}

/// The MCP benchmark calls the endpoint after authentication; nobody signs in.
private struct NoLogin: IdentityVerifier {
    func verify(token: String) throws(IdentityError) -> VerifiedIdentity { throw .invalid("no login in this benchmark") }
}
