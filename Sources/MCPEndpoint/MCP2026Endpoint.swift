import HTTPMessages
import MCP
import Storage

/// A POST to `/mcp` whose `MCP-Protocol-Version` is 2026-07-28: no handshake, no batches, each
/// request judged alone from its `_meta` and routing headers (MCP 2026-07-28
/// basic/transports/streamable-http). `MCPEndpoint` keeps GET/DELETE (405) and hands over the rest.
///
/// Checks in the order the revision's reference server uses (the spec fixes none): the body's
/// JSON-RPC shape, the envelope (-32602), the routing headers (-32020), the version (-32022),
/// then `MCP2026Dispatcher`. Every refusal is an HTTP 4xx with a JSON-RPC error for the
/// request's id.
struct MCP2026Endpoint: Sendable {
    let dispatcher: MCP2026Dispatcher

    init(dispatcher: MethodDispatcher) {
        self.dispatcher = MCP2026Dispatcher(handshake: dispatcher)
    }

    /// The revisions this path answers (`server/discover`'s `supportedVersions`).
    static let supportedVersions = [MCP20260728.version]

    func respond(to request: HTTPMessages.Request, caller: Caller) -> HTTPMessages.Response {
        let message: IncomingMessage
        switch JSONRPCCodec.decode(request.body) {
        case .notJSON:
            return JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.parseErrorCode, message: "Parse error: the body is not JSON")
                .response()
        case .batch:
            // Batches left the protocol with 2025-06-18.
            return JSONRPCCodec.errorReply(id: nil, code: JSONRPCCodec.invalidRequestCode,
                                           message: "Invalid Request: JSON-RPC batches are not supported in protocol version 2026-07-28")
                .response()
        case .message(let single):
            message = single
        }
        switch message {
        case .invalid(let id, let reason):
            return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidRequestCode, message: "Invalid Request: \(reason)").response()
        case .response, .notification:
            // §Sending messages: 202 and nothing more; notifications/cancelled means nothing over HTTP.
            return .accepted
        case .request(let id, let method, let params):
            guard let envelope = MCP2026Envelope(params: params.parsed) else {
                return JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidParamsCode, message:
                    "Invalid params: params._meta must carry \"\(MCP20260728.protocolVersionKey)\" and \"\(MCP20260728.clientCapabilitiesKey)\"")
                    .response()
            }
            if let mismatch = MCP2026RoutingHeaders.mismatch(headers: request.headers, method: method, params: params.parsed,
                                                             envelopeVersion: envelope.protocolVersion) {
                return JSONRPCCodec.errorReply(id: id, code: HeaderMismatch.code, message: "Header mismatch: \(mismatch)").response()
            }
            guard Self.supportedVersions.contains(envelope.protocolVersion) else {
                return MCPEndpoint.versionRejection(envelope.protocolVersion, id: id)
            }
            return dispatcher.respond(id: id, method: method, params: params, envelope: envelope, caller: caller)
        }
    }
}
