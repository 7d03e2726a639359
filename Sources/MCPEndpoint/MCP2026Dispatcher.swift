import Foundation
import HTTPMessages
import MCP
import Storage

/// The methods of MCP 2026-07-28, answered by the handshake-era `MethodDispatcher`'s tools and
/// widgets with what the revision changes around them: `server/discover`, the result fields
/// (`MCP2026ResultFields`), errors with their HTTP statuses (basic/transports/streamable-http
/// §Error handling), `subscriptions/listen` (`MCP2026Listen`), and widgets only for hosts that
/// declare MCP Apps. Synchronous on the worker thread, like `MethodDispatcher`, for the same reasons.
struct MCP2026Dispatcher: Sendable {
    let handshake: MethodDispatcher
    let results: MCP2026ResultFields

    /// Results that never change, encoded once with their 2026 fields (as `toolsListResult` is).
    private let discoverResult: [UInt8]
    /// `tools/list` for a host that renders widgets, and for one that does not.
    private let toolsListWithWidgets: [UInt8]
    private let toolsListWithoutWidgets: [UInt8]
    private let resourcesListResult: [UInt8]
    private let resourceTemplatesListResult: [UInt8]

    init(handshake: MethodDispatcher) {
        self.handshake = handshake
        let core = handshake.core
        let results = MCP2026ResultFields(serverInfo: core.info)
        self.results = results
        func cacheable(_ result: some Encodable) -> [UInt8] { results.result(JSONRPCCodec.encode(result), cacheable: true) }
        discoverResult = JSONRPCCodec.encode(Self.discover(core))
        toolsListWithWidgets = cacheable(ListAppTools.Result(tools: core.tools.map(\.descriptor)))
        toolsListWithoutWidgets = cacheable(ListAppTools.Result(tools: core.tools.map(\.descriptor.withoutWidget)))
        resourcesListResult = cacheable(ListResources.Result(resources: core.widgets.resources))
        resourceTemplatesListResult = cacheable(ListResourceTemplates.Result(templates: []))
    }

    /// MCP 2026-07-28 server/discover. Only tools and resources, without `listChanged` or
    /// `subscribe` since nothing changes while the server runs (see `MCP2026Listen`), and the
    /// MCP Apps extension, whose widgets every tool here renders in.
    private static func discover(_ core: EndpointCore) -> DiscoverResult {
        DiscoverResult(
            resultType: .complete, supportedVersions: MCP2026Endpoint.supportedVersions,
            capabilities: ServerCapabilities(base: Server.Capabilities(resources: .init(), tools: .init()),
                                             extensions: [MCP20260728.uiExtension: [:]]),
            instructions: core.instructions, ttlMs: 0, cacheScope: .public, _meta: [MCP20260728.serverInfoKey: core.info])
    }

    func respond(id: ID, method: String, params: MessageParams, envelope: MCP2026Envelope, caller: Caller) -> HTTPMessages.Response {
        switch method {
        case Discover.name:
            return .jsonRPC(JSONRPCCodec.preencodedResult(id: id, discoverResult))
        case ListTools.name:
            return list(id: id, params: params, envelope.rendersWidgets ? toolsListWithWidgets : toolsListWithoutWidgets)
        case CallTool.name:
            return callTool(id: id, params: params, caller: caller)
        case ListResources.name:
            return list(id: id, params: params, resourcesListResult)
        case ListResourceTemplates.name:
            return list(id: id, params: params, resourceTemplatesListResult)
        case ReadResource.name:
            return readResource(id: id, params: params)
        case SubscriptionsListen.name:
            return MCP2026Listen.response(id: id, results: results)
        default:
            // Removed in 2026 (initialize, ping, logging/setLevel, resources/subscribe, ...) or
            // never offered (prompts, completion): -32601 with 404 (§Error handling).
            return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.methodNotFoundCode,
                                           message: "Method not found: \(method.prefix(100))").response(status: 404)
        }
    }

    /// A list that fits on one page: any cursor is one we never handed out (-32602,
    /// server/utilities/pagination). Read from the parsed params: decoding them would also walk
    /// the `_meta` every 2026 request carries.
    private func list(id: ID, params: MessageParams, _ result: [UInt8]) -> HTTPMessages.Response {
        if let cursor = params.parsed?["cursor"], !(cursor is NSNull) {
            return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidParamsCode, message: "Invalid params: invalid cursor").response()
        }
        return .jsonRPC(JSONRPCCodec.preencodedResult(id: id, result))
    }

    /// The handshake-era call, scope check and step-up included (an HTTP 403 for a standard
    /// client, ChatGPT's tool result for ChatGPT, `StepUpChallenge`), with the 2026 fields.
    private func callTool(id: ID, params: MessageParams, caller: Caller) -> HTTPMessages.Response {
        // `_meta` is the request's, not the tool's; without it the parsed params take the fast path.
        var parsed = params.parsed
        parsed?.removeValue(forKey: "_meta")
        let response = handshake.callTool(id: id, params: MessageParams(body: params.body, parsed: parsed), caller: caller,
                                          httpChallenge: true)
        guard response.status == 200 else { return response }
        return completed(response.body, cacheable: false)
    }

    /// A missing resource is -32602 with `data: {uri}`; -32002 is retired (server/resources
    /// §Error handling, basic/index §Error codes).
    private func readResource(id: ID, params: MessageParams) -> HTTPMessages.Response {
        guard let uri = params.parsed?["uri"] as? String else {
            return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidParamsCode, message: "Invalid params: missing \"uri\"").response()
        }
        guard handshake.core.widgets.has(uri: uri) else {
            return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidParamsCode, message: "Resource not found: \(uri.prefix(200))",
                                           data: ["uri": .string(uri)]).response()
        }
        let reply: [UInt8]
        do {
            reply = JSONRPCCodec.result(ReadResource.self, id: id, try handshake.core.widgets.read(uri: uri))
        } catch {
            reply = JSONRPCCodec.error(ReadResource.self, id: id, .internalError(error.description))
        }
        return completed(reply, cacheable: true)
    }

    /// A handshake-era reply made a 2026 one: a result gets its fields; an error keeps its body
    /// and gets its status, 400 for -32602 (the reference server's choice; the spec names none)
    /// and 200 for the rest, such as -32603.
    private func completed(_ reply: [UInt8], cacheable: Bool) -> HTTPMessages.Response {
        if let decorated = results.reply(reply, cacheable: cacheable) { return .jsonRPC(decorated) }
        // Errors are rare here; reading one back costs nothing that matters.
        let parsed = (try? JSONSerialization.jsonObject(with: Data(reply))) as? [String: Any]
        let code = (parsed?["error"] as? [String: Any])?["code"] as? Int
        return .jsonRPC(reply, status: code == JSONRPCCodec.invalidParamsCode ? 400 : 200)
    }
}
