import AppManifest
import Backend
import Foundation
import HTTPMessages
import MCP
import ServerLog
import Storage

/// Settings of the MCP endpoint, from the configuration.
public struct MCPEndpointSettings: Sendable {
    /// `SERVER_BASE_URL`: its origin is allowed in `Origin`.
    public var serverBaseURL: String
    /// RFC 9728 metadata URL of /mcp, named in `mcp/www_authenticate` challenges.
    public var resourceMetadataURL: String
    /// `MCP_MAX_BATCH`: the most items a JSON-RPC batch may hold (2025-03-26 only).
    public var maxBatchItems = 10
    /// Seconds all calls to the user's API of one request may take together
    /// (`BACKEND_TIMEOUT_SECONDS`): a batch stops starting items once they have passed.
    public var requestTimeLimit: Double = 10

    public init(serverBaseURL: String, resourceMetadataURL: String? = nil) {
        self.serverBaseURL = serverBaseURL
        self.resourceMetadataURL = resourceMetadataURL ?? serverBaseURL + "/.well-known/oauth-protected-resource/mcp"
    }
}

/// `/mcp`: MCP Streamable HTTP in its stateless JSON form (no sessions, no SSE), so any worker
/// of any process can answer any request (MCP 2025-06-18 transports §2.1, §2.5 sessions optional).
///
/// A responder over the shared `Request`/`Response` for a caller the bearer gate in front of it
/// established (Routes: origin check, then bearer gate, then this). It owns the transport rules
/// (POST only, MCP-Protocol-Version, batches, JSON-RPC shape); `MethodDispatcher` answers the
/// methods with the SDK's protocol types. Two eras share the endpoint, chosen per request by
/// `MCP-Protocol-Version` alone: 2026-07-28 goes to `MCP2026Endpoint`; 2025-03-26, 2025-06-18,
/// 2025-11-25 and no header (2025-03-26) stay on the handshake-era path below, unchanged. It runs entirely on the calling worker thread, may
/// block on the user's API, and keeps no state between requests.
public final class MCPEndpoint: Sendable {
    private let dispatcher: MethodDispatcher
    private let revision20260728: MCP2026Endpoint
    private let limits: MCPEndpointSettings
    /// Messages to `/mcp` each user may send per minute.
    private let budget: CallBudget
    /// The browser origins allowed to call (ours and ChatGPT's), for the origin check in front.
    public let origins: OriginPolicy

    /// The app the manifest describes: its tools (then the code tools, in `tools/list` order),
    /// its widgets from `widgetsDirectory`, its name and instructions.
    /// - Parameter isChatGPT: whether the caller's client is ChatGPT, which gets its own step-up
    ///   signal (`StepUpChallenge`); by default every caller is treated as ChatGPT.
    /// - Parameter budgets: per user and minute, the messages to `/mcp` and the calls to the API.
    public init(settings: MCPEndpointSettings, manifest: AppManifest, codeTools: [any AppTool] = [], widgetsDirectory: String,
                api: any APITransport, revoker: GrantRevoker, budgets: CallBudgets = .unlimited,
                isChatGPT: @escaping @Sendable (Caller) -> Bool = { _ in true }) {
        let server = manifest.server
        let icons = server.icons.map { Icon(src: $0.src, mimeType: $0.mimeType, sizes: $0.sizes.isEmpty ? nil : $0.sizes) }
        let core = EndpointCore(
            info: Server.Info(name: server.name, version: server.version, title: server.title, icons: icons.isEmpty ? nil : icons),
            instructions: server.instructions,
            tools: manifest.tools.map(ManifestTool.init) + codeTools,
            widgets: WidgetCatalog(widgets: manifest.widgets, directory: widgetsDirectory),
            api: api, revoker: revoker, backendBudget: budgets.backend, resourceMetadataURL: settings.resourceMetadataURL,
            appScopes: manifest.scopes.map(\.name), isChatGPT: isChatGPT)
        self.dispatcher = MethodDispatcher(core: core)
        self.revision20260728 = MCP2026Endpoint(dispatcher: dispatcher)
        self.origins = OriginPolicy(serverBaseURL: settings.serverBaseURL)
        self.limits = settings
        self.budget = budgets.mcp
    }

    /// 403 for an `Origin` that is not ours or ChatGPT's (MCP 2025-11-25 transports §Security
    /// Warning), answered before authentication so a rebinding page learns nothing more.
    public static let originRejection = JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.invalidRequestCode,
                                                                message: "Forbidden: Origin not allowed").response(status: 403)

    /// One request of an authenticated caller. GET (no SSE stream offered) and DELETE (no
    /// sessions to end) are 405 (MCP 2025-06-18 transports §2.2.3, §2.5.5).
    public func respond(to request: HTTPMessages.Request, caller: Caller) -> HTTPMessages.Response {
        var caller = caller
        caller.deadline = Date().addingTimeInterval(limits.requestTimeLimit)
        guard request.method == "POST" else {
            var response = JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.invalidRequestCode,
                                                   message: "Method Not Allowed: this endpoint takes POST only").response(status: 405)
            response.headers.add("Allow", "POST")
            return response
        }
        // MCP 2026-07-28 basic/versioning §Serving both eras: the header alone picks the path.
        let route = ProtocolVersion.route(request.headers["MCP-Protocol-Version"])
        if route == .modern {
            // Refused before the body is read, so an exhausted budget costs one count and nothing
            // more; the id is therefore unknown (null).
            if let refusal = overBudget(1, caller: caller, id: nil) { return refusal }
            return revision20260728.respond(to: request, caller: caller)
        }
        let message: IncomingMessage
        switch JSONRPCCodec.decode(request.body) {
        case .notJSON:
            if let refusal = overBudget(1, caller: caller, id: nil) { return refusal }
            return JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.parseErrorCode, message: "Parse error: the body is not JSON")
                .response()
        case .batch(let items):
            return handleBatch(items, route: route, caller: caller)
        case .message(let single):
            let id: ID? = if case .request(let id, _, _) = single { id } else { nil }
            if let refusal = overBudget(1, caller: caller, id: id) { return refusal }
            message = single
        }
        // The version travels in the body of initialize; its header is not checked.
        if case .request(_, "initialize", _) = message {} else if case .unsupported(let version) = route {
            let id: ID? = if case .request(let id, _, _) = message { id } else { nil }
            return Self.versionRejection(version, id: id)
        }
        switch message {
        case .invalid(let id, let reason):
            return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidRequestCode, message: "Invalid Request: \(reason)").response()
        case .response, .notification:
            // Nothing to act on: no sessions, no server-initiated requests, and every request
            // is finished before its HTTP answer, so notifications/cancelled has nothing to stop.
            return .accepted
        case .request(let id, let method, let data):
            return dispatcher.respond(id: id, method: method, params: data, caller: caller)
        }
    }

    /// JSON-RPC 2.0 §6 batches, only for protocol 2025-03-26 (MCP 2025-03-26 transports §2.1.3).
    /// Items are answered in order, one after another, at most `maxBatchItems` of them; once the
    /// request's time limit has passed, the items not yet started are answered as not run, so a
    /// batch can neither multiply the calls to the user's API without bound nor outlast the
    /// client that sent it. Each item counts against the user's `/mcp` budget as a message sent
    /// alone would (a batch of 10 is 10 calls), so batching cannot multiply the budget; a batch
    /// the budget has no room for is refused whole, as nothing of it has run.
    private func handleBatch(_ items: [IncomingMessage], route: ProtocolVersion.Route, caller: Caller) -> HTTPMessages.Response {
        // An empty or oversized batch, refused below without running anything, counts as one message.
        let calls = (1...limits.maxBatchItems).contains(items.count) ? items.count : 1
        if let refusal = overBudget(calls, caller: caller, id: nil) { return refusal }
        let version: String
        switch route {
        case .handshake(let handshake): version = handshake
        case .unsupported(let requested): return Self.versionRejection(requested, id: nil)
        case .modern: preconditionFailure("2026-07-28 requests never reach the handshake-era path")
        }
        guard ProtocolVersion.allowsBatches(version) else {
            return JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.invalidRequestCode,
                                           message: "Invalid Request: JSON-RPC batches are not supported in protocol version \(version)").response()
        }
        guard !items.isEmpty else {
            return JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.invalidRequestCode, message: "Invalid Request: empty batch").response()
        }
        guard items.count <= limits.maxBatchItems else {
            return JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.invalidRequestCode,
                                           message: "Invalid Request: a batch may hold at most \(limits.maxBatchItems) items, this one has \(items.count)")
                .response()
        }
        var replies: [[UInt8]] = []
        for item in items {
            if case .request(let id, _, _) = item, Date() >= caller.deadline {
                replies.append(JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.internalErrorCode,
                                                       message: "Not run: the request's time limit of \(Self.seconds(limits.requestTimeLimit)) s passed before this item started",
                                                       data: ["notRun": true]).bytes)
                continue
            }
            switch item {
            case .invalid(let id, let reason):
                replies.append(JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidRequestCode, message: "Invalid Request: \(reason)").bytes)
            case .request(let id, "initialize", _):
                // MCP 2025-03-26 lifecycle §Initialization: initialize MUST NOT be part of a batch.
                replies.append(JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidRequestCode,
                                                       message: "Invalid Request: initialize cannot be part of a batch").bytes)
            case .request(let id, let method, let data):
                replies.append(dispatcher.reply(id: id, method: method, params: data, caller: caller))
            case .notification, .response:
                break
            }
        }
        // JSON-RPC 2.0 §6: nothing to return when the batch held only notifications/responses.
        guard !replies.isEmpty else { return .accepted }
        return .jsonRPC(JSONRPCCodec.batch(replies))
    }

    /// 429 with `Retry-After` once the user's messages this minute pass `MCP_CALLS_PER_USER_PER_MINUTE`
    /// (RFC 6585 §4; RFC 9110 §10.2.3: the seconds until the window ends), with a JSON-RPC error
    /// body that MCP clients can read (-32000, JSON-RPC 2.0 §5.1 implementation-defined server
    /// error; MCP names no code for it), its `data` carrying the same seconds.
    private func overBudget(_ calls: Int, caller: Caller, id: ID?) -> HTTPMessages.Response? {
        guard case .exhausted(let seconds) = budget.spend(calls, userID: caller.userID, requestID: caller.requestID) else { return nil }
        ServerLog.write(.warning, "/mcp call over the user's budget", [
            "request_id": .string(caller.requestID), "calls": .int(calls), "retry_after": .int(seconds),
        ])
        var response = JSONRPCCodec.errorReply(id: id, code: Self.tooManyRequestsCode,
                                               message: "Too many requests: at most \(budget.callsPerMinute) per minute; retry in \(seconds) s",
                                               data: ["retryAfterSeconds": .int(seconds)]).response(status: 429)
        response.headers.set("Retry-After", String(seconds))
        return response
    }

    /// JSON-RPC 2.0 §5.1: -32000 to -32099 are the server's own errors.
    static let tooManyRequestsCode = -32000

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// 400 for an `MCP-Protocol-Version` we do not speak (MCP 2025-06-18 transports §2.7), as
    /// -32022 listing every revision served, newest first, so that a client of either era can
    /// retry with one (MCP 2026-07-28 basic/versioning §Unsupported versions). Handshake-era
    /// clients read only the status and `supported`, as they did before 2026-07-28 existed.
    static func versionRejection(_ requested: String, id: ID?) -> HTTPMessages.Response {
        let error = UnsupportedProtocolVersion(supported: ProtocolVersion.served, requested: String(requested.prefix(100)))
        return JSONRPCCodec.errorReply(id: id, code: UnsupportedProtocolVersion.code,
                                       message: "Unsupported protocol version: \(error.requested)", data: error.data).response()
    }
}
