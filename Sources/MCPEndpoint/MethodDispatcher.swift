import Foundation
import HTTPMessages
import MCP
import Storage

/// The MCP methods this server answers: the SDK's method types (`Initialize`, `CallTool`, ...)
/// and its `Response`/`MCPError` encoding, dispatched synchronously on the calling worker thread.
///
/// Why not the SDK's `Server` actor (one instance per worker thread, as first planned and
/// built): `Bench mcp-dispatch` (Sources/Bench/MCPDispatchBenchmark.swift) feeds the same request
/// bytes to `MCPEndpoint` and to a `Server` answering through `withMethodHandler` on the SDK's
/// `StatelessHTTPServerTransport`, with the same tools and demo items, checks that both answer
/// alike, then counts requests per CPU second of the process. One release run on the busy 2-core
/// dev machine, 1 worker thread: `ping` 169,536/s here against 5,127/s through `Server` (33×),
/// `tools/list` 214,989 against 410 (524×), `tools/call get-items` 84,236 against 1,128 (75×); on
/// 8 threads, each with its own `Server`, the ratios were 7.1×, 492× and 41×. The cost is inside
/// the SDK: every params and every result is converted to `Value` and back
/// (TypedRequestHandler), and decoding `Value` tries Bool/Int/Double before String and builds
/// the RegexBuilder data-URL regex anew for each string. Being synchronous also removes
/// the async bridge: blocking calls (the user's API, the database, widget files) simply run on
/// the worker thread that owns the request, never on the two-thread cooperative pool; and with no
/// per-instance state, any thread or process can answer any request.
struct MethodDispatcher: Sendable {
    let core: EndpointCore
    /// The `tools/list` result never changes, so it is encoded once rather than on every call
    /// (re-encoding the descriptors was a quarter of the cost of a `tools/list` request).
    let toolsListResult: [UInt8]

    init(core: EndpointCore) {
        self.core = core
        toolsListResult = JSONRPCCodec.encode(ListAppTools.Result(tools: core.tools.map(\.descriptor)))
    }

    static let capabilities = Server.Capabilities(
        resources: .init(subscribe: false, listChanged: false),
        tools: .init(listChanged: false))

    /// MCP 2025-06-18 server/resources §Error Handling: resource not found is -32002.
    static let resourceNotFoundCode = -32002

    /// The HTTP answer to a request sent alone: the JSON-RPC reply, or the HTTP 403 a standard
    /// client needs when its token lacks a tool's scope (`StepUpChallenge`).
    func respond(id: ID, method: String, params: MessageParams, caller: Caller) -> HTTPMessages.Response {
        guard method == CallTool.name else { return .jsonRPC(reply(id: id, method: method, params: params, caller: caller)) }
        return callTool(id: id, params: params, caller: caller, httpChallenge: true)
    }

    /// The JSON-RPC response to one request. Unknown methods are -32601; handler failures are
    /// the `MCPError` they throw. A missing scope is a tool result here (ChatGPT's signal), also
    /// inside a batch, where one item cannot turn the whole answer into a 403.
    func reply(id: ID, method: String, params: MessageParams, caller: Caller) -> [UInt8] {
        switch method {
        case Initialize.name: respond(Initialize.self, id: id, params: params, initialize)
        case Ping.name: respond(Ping.self, id: id, params: params) { _ in Empty() }
        case ListTools.name: listTools(id: id, params: params)
        case CallTool.name: callTool(id: id, params: params, caller: caller, httpChallenge: false).body
        case ListResources.name: respond(ListResources.self, id: id, params: params, listResources)
        case ListResourceTemplates.name: respond(ListResourceTemplates.self, id: id, params: params, listResourceTemplates)
        case ReadResource.name: respond(ReadResource.self, id: id, params: params, readResource)
        default: JSONRPCCodec.error(Ping.self, id: id, .methodNotFound("Unknown method: \(method.prefix(100))"))
        }
    }

    private func respond<M: Method>(_ method: M.Type, id: ID, params: MessageParams,
                                    _ handler: (M.Parameters) throws(MCPError) -> M.Result) -> [UInt8] {
        do {
            let decoded = try JSONRPCCodec.params(M.Parameters.self, from: params)
            return JSONRPCCodec.result(M.self, id: id, try handler(decoded))
        } catch {
            return JSONRPCCodec.error(M.self, id: id, error)
        }
    }

    // MARK: Lifecycle

    /// Stateless: every client's initialize may land on any thread of any process, and
    /// nothing is remembered (MCP 2025-11-25 lifecycle §Version Negotiation).
    private func initialize(_ params: Initialize.Parameters) -> Initialize.Result {
        Initialize.Result(protocolVersion: ProtocolVersion.negotiate(params.protocolVersion), capabilities: Self.capabilities,
                          serverInfo: core.info, instructions: core.instructions)
    }

    // MARK: Tools

    private func listTools(id: ID, params: MessageParams) -> [UInt8] {
        do throws(MCPError) {
            try Self.rejectCursor(try JSONRPCCodec.params(ListTools.Parameters.self, from: params).cursor)
        } catch {
            return JSONRPCCodec.error(ListAppTools.self, id: id, error)
        }
        return JSONRPCCodec.preencodedResult(id: id, toolsListResult)
    }

    /// - Parameter httpChallenge: a request sent alone may answer a missing scope with the HTTP
    ///   403 standard clients need; in a batch it is always the tool result.
    func callTool(id: ID, params: MessageParams, caller: Caller, httpChallenge: Bool) -> HTTPMessages.Response {
        let decoded: CallTool.Parameters
        do throws(MCPError) {
            decoded = try JSONRPCCodec.callToolParams(from: params)
        } catch {
            return .jsonRPC(JSONRPCCodec.error(CallTool.self, id: id, error))
        }
        // MCP 2025-06-18 server/tools §Error Handling: an unknown tool is a protocol error;
        // everything after this is a tool result, `isError` when it failed.
        guard let tool = core.tool(named: decoded.name) else {
            return .jsonRPC(JSONRPCCodec.error(CallTool.self, id: id, .invalidParams("Unknown tool: \(decoded.name.prefix(100))")))
        }
        let context = ToolContext(core: core, caller: caller)
        guard caller.scopes.contains(tool.requiredScope) else {
            if httpChallenge, !core.stepUp.isChatGPT(caller) { return core.stepUp.forbidden(id: id, missing: tool.requiredScope) }
            return .jsonRPC(JSONRPCCodec.callToolResult(id: id, context.insufficientScope(tool.requiredScope)))
        }
        return .jsonRPC(JSONRPCCodec.callToolResult(id: id, tool.call(decoded.arguments ?? [:], context: context)))
    }

    // MARK: Resources

    private func listResources(_ params: ListResources.Parameters) throws(MCPError) -> ListResources.Result {
        try Self.rejectCursor(params.cursor)
        return ListResources.Result(resources: core.widgets.resources)
    }

    private func listResourceTemplates(_ params: ListResourceTemplates.Parameters) throws(MCPError) -> ListResourceTemplates.Result {
        try Self.rejectCursor(params.cursor)
        return ListResourceTemplates.Result(templates: [])
    }

    private func readResource(_ params: ReadResource.Parameters) throws(MCPError) -> ReadResource.Result {
        guard core.widgets.has(uri: params.uri) else {
            throw .serverError(code: Self.resourceNotFoundCode, message: "Resource not found: \(params.uri.prefix(200))")
        }
        do {
            return try core.widgets.read(uri: params.uri)
        } catch {
            throw .internalError(error.description)
        }
    }

    /// Lists fit on one page and we never hand out cursors, so any cursor is invalid
    /// (MCP 2025-06-18 utilities/pagination §Error Handling: -32602).
    private static func rejectCursor(_ cursor: String?) throws(MCPError) {
        if cursor != nil { throw .invalidParams("invalid cursor") }
    }
}
