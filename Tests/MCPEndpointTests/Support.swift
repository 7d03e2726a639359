import AppManifest
import Backend
import Foundation
import HTTPMessages
import MCPEndpoint
import Storage

/// A plain thread that runs test closures one after another, standing in for a FastCGI worker:
/// the endpoint may block its caller (the user's API), which should not be a concurrency pool thread.
final class TestWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    init() {
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(returning: body()) }
            condition.signal()
            condition.unlock()
        }
    }
}

/// Records revocations instead of touching an OAuth store.
final class RevocationLog: @unchecked Sendable {
    private let lock = NSLock()
    private var callers: [Caller] = []

    var revoker: GrantRevoker { GrantRevoker { [self] caller in lock.withLock { callers.append(caller) } } }
    var revoked: [Caller] { lock.withLock { callers } }
}

/// A widgets folder with a tiny placeholder bundle (the real one is built elsewhere).
enum TestWidgets {
    static let script = "document.getElementById('root').textContent = '</script><!-- list view';"
    static let style = "#root { color: teal }"

    static func directory(script: String? = TestWidgets.script, style: String? = TestWidgets.style) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("widgets-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let script { _ = FileManager.default.createFile(atPath: path + "/list-view.js", contents: Data(script.utf8)) }
        if let style { _ = FileManager.default.createFile(atPath: path + "/list-view.css", contents: Data(style.utf8)) }
        return path
    }
}

/// An endpoint serving the items demo's manifest (`examples/items/app.json`) over the built-in
/// demo items API, driven in-process from a worker thread of its own.
struct Harness: Sendable {
    static let baseURL = "https://app.example.com"
    static let itemsManifestPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/items/app.json").path

    let endpoint: MCPEndpoint
    let worker = TestWorker()
    let revocations = RevocationLog()

    init(widgetsDirectory: String = TestWidgets.directory(), api: (any APITransport)? = nil,
         manifestPath: String = Harness.itemsManifestPath, environment: [String: String] = [:], codeTools: [any AppTool] = [],
         budgets: CallBudgets = .unlimited, isChatGPT: @escaping @Sendable (Caller) -> Bool = { _ in true },
         settings: MCPEndpointSettings = MCPEndpointSettings(serverBaseURL: Harness.baseURL)) {
        let log = revocations
        endpoint = MCPEndpoint(settings: settings,
                               manifest: Self.manifest(manifestPath, widgetsDirectory: widgetsDirectory, environment: environment),
                               codeTools: codeTools, widgetsDirectory: widgetsDirectory,
                               api: api ?? DemoItemsAPI(store: MemoryStore()), revoker: log.revoker, budgets: budgets,
                               isChatGPT: isChatGPT)
    }

    static func manifest(_ path: String, widgetsDirectory: String, environment: [String: String] = [:]) -> AppManifest {
        let context = ManifestContext(environment: environment, widgetsDirectory: widgetsDirectory, maxTimeoutSeconds: 10)
        switch ManifestLoader.load(path: path, context: context) {
        case .success(let manifest): return manifest
        case .failure(let problems): fatalError("test manifest \(path): \(problems)")
        }
    }

    static func caller(_ user: String = "did:privy:alice", scopes: [String] = ["read", "write", "offline_access"]) -> Caller {
        Caller(userID: user, clientID: "client-1", scopes: scopes, grantID: "grant-\(user)", jti: "jti-1", resource: "https://app.example.com/mcp", privyAccessToken: "privy-\(user)",
                  requestID: "req-1")
    }

    /// POSTs raw text as the body.
    func post(_ body: String, headers: [(String, String)] = [], caller: Caller = Harness.caller()) async -> HTTPMessages.Response {
        let endpoint = self.endpoint
        let request = Harness.request(body, headers: [("Content-Type", "application/json")] + headers)
        return await worker.run { endpoint.respond(to: request, caller: caller) }
    }

    static func request(_ body: String, method: String = "POST", headers: [(String, String)] = []) -> HTTPMessages.Request {
        HTTPMessages.Request(method: method, path: "/mcp", headers: HTTPHeaders(headers), body: Array(body.utf8))
    }

    /// One JSON-RPC request; returns the whole reply object.
    func rpc(_ method: String, params: [String: Any]? = nil, id: Any = 1, version: String? = "2025-06-18",
             caller: Caller = Harness.caller()) async -> JSON {
        var message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method]
        if let params { message["params"] = params }
        let response = await post(JSON.text(message), headers: version.map { [("MCP-Protocol-Version", $0)] } ?? [], caller: caller)
        return JSON(bytes: response.body)
    }

    /// `tools/call`; returns the result object.
    func callTool(_ name: String, _ arguments: [String: Any]? = nil, caller: Caller = Harness.caller()) async -> JSON {
        var params: [String: Any] = ["name": name]
        if let arguments { params["arguments"] = arguments }
        return await rpc("tools/call", params: params, caller: caller)["result"]
    }
}

/// Just enough JSON navigation for assertions.
struct JSON: @unchecked Sendable, CustomStringConvertible {
    let value: Any?

    init(_ value: Any?) { self.value = value }
    init(bytes: [UInt8]) { value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }

    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }
    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }

    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber).flatMap { Self.isBool($0) ? nil : $0.intValue } }
    var bool: Bool? { (value as? NSNumber).flatMap { Self.isBool($0) ? $0.boolValue : nil } }
    var array: [JSON]? { (value as? [Any])?.map(JSON.init) }
    var object: [String: Any]? { value as? [String: Any] }
    var keys: Set<String> { Set(object?.keys ?? [String: Any]().keys) }
    var isNull: Bool { value is NSNull }
    var exists: Bool { value != nil }

    var description: String { value.map { JSON.text($0) } ?? "<missing>" }

    /// NSNumber hides whether it was a JSON boolean; its type encoding (`c`, a C char) tells.
    private static func isBool(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    static func text(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
