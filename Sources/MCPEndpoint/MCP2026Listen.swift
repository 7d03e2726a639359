import HTTPMessages
import MCP
import WebRules

/// `subscriptions/listen` (MCP 2026-07-28 basic/patterns/subscriptions), answered as a stream
/// that honours nothing and ends at once.
///
/// Why this and not -32601: the revision says implementations MUST support its message patterns
/// (basic/index §Patterns), and a listen a client opens must not look like a broken server. Why
/// no real stream: nothing here ever changes while the server runs (the tools and widgets come
/// from the manifest, read once), so there is no notification to send, and a held-open response
/// would tie up a FastCGI worker thread for nothing. The answer is therefore one finished
/// `text/event-stream` body: the acknowledgement with `notifications: {}` (nothing honoured),
/// then the graceful-close result, both tagged with the listen request's id. Consistently,
/// `server/discover` advertises no `listChanged` and no `subscribe`.
enum MCP2026Listen {
    private struct Acknowledged: Encodable {
        struct Params: Encodable {
            let _meta: [String: ID]
            let notifications: [String: Bool]
        }
        let jsonrpc = "2.0"
        let method = SubscriptionsListen.acknowledgedNotification
        let params: Params
    }

    /// - Parameter results: adds `resultType` and `serverInfo` to the closing result.
    static func response(id: ID, results: MCP2026ResultFields) -> HTTPMessages.Response {
        let tag = [MCP20260728.subscriptionIdKey: id]
        let acknowledged = JSONOutput.encode(Acknowledged(params: .init(_meta: tag, notifications: [:])))
        let closing = results.result(JSONOutput.encode(["_meta": tag]), cacheable: false)
        let reply = JSONRPCCodec.preencodedResult(id: id, closing)
        let body = event(acknowledged) + event(reply)
        let headers = HTTPHeaders([("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")])
        return HTTPMessages.Response(status: 200, headers: headers, body: body)
    }

    /// One SSE event (HTML Living Standard §9.2.5): JSON holds no raw newline, so one data line.
    private static func event(_ json: [UInt8]) -> [UInt8] {
        Array("event: message\ndata: ".utf8) + json + Array("\n\n".utf8)
    }
}
