import Foundation
import HTTPMessages
import MCP
import WebRules

/// The one way in and out of JSON-RPC for `/mcp` (JSON-RPC 2.0 §4–§6): what a body holds, a
/// method's params, and every reply, result or error. The fast paths sit behind this API and
/// write exactly the bytes the general path writes (their tests hold them to it): params of
/// `tools/call` read from the already parsed message (`CallToolParams`), its results written
/// without JSONEncoder (`CallToolReplyJSON`), and the `tools/list` result encoded once.
enum JSONRPCCodec {
    /// What a POST body holds.
    enum Body {
        case message(IncomingMessage)
        /// JSON-RPC 2.0 §6; each item classified, in order.
        case batch([IncomingMessage])
        /// Not JSON at all: -32700.
        case notJSON
    }

    static let parseErrorCode = JSONRPCErrorReply.parseErrorCode
    static let invalidRequestCode = JSONRPCErrorReply.invalidRequestCode
    static let methodNotFoundCode = -32601
    static let invalidParamsCode = -32602
    /// JSON-RPC 2.0 §5.1 "Internal error".
    static let internalErrorCode = -32603

    static func decode(_ body: [UInt8]) -> Body {
        let data = Data(body)
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return .notJSON }
        if let items = parsed as? [Any] { return .batch(items.map { IncomingMessage.classify($0) }) }
        return .message(IncomingMessage.classify(parsed, body: data))
    }

    // MARK: Params

    /// A method's params as the SDK's type; -32602 naming the field when they do not fit.
    static func params<Parameters: Decodable>(_ type: Parameters.Type, from params: MessageParams) throws(MCPError) -> Parameters {
        try MethodParams.decode(type, from: params)
    }

    static func callToolParams(from params: MessageParams) throws(MCPError) -> CallTool.Parameters {
        if let parsed = CallToolParams.fromParsed(params.parsed) { return parsed }
        return try MethodParams.decode(CallTool.Parameters.self, from: params)
    }

    // MARK: Replies

    static func result<M: Method>(_ method: M.Type, id: ID, _ result: M.Result) -> [UInt8] {
        JSONOutput.encode(Response<M>(id: id, result: result))
    }

    static func error<M: Method>(_ method: M.Type, id: ID, _ error: MCPError) -> [UInt8] {
        JSONOutput.encode(Response<M>(id: id, error: error))
    }

    static func callToolResult(id: ID, _ result: CallTool.Result) -> [UInt8] {
        CallToolReplyJSON.reply(id: id, result: result) ?? self.result(CallTool.self, id: id, result)
    }

    /// A result encoded once ahead (`encodedResult`), in the reply every request gets: exactly what
    /// JSONOutput writes for a `Response`, keys sorted: id, jsonrpc, result.
    static func preencodedResult(id: ID, _ encodedResult: [UInt8]) -> [UInt8] {
        Array(#"{"id":"#.utf8) + JSONOutput.encode(id) + Array(#","jsonrpc":"2.0","result":"#.utf8) + encodedResult
            + [UInt8(ascii: "}")]
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        JSONOutput.encode(value)
    }

    /// A message refused before dispatch (JSON-RPC 2.0 §5.1); `id` is null when it could not be read.
    static func errorReply(id: ID?, code: Int, message: String, data: Value? = nil) -> JSONRPCErrorReply {
        JSONRPCErrorReply(id: id, code: code, message: message, data: data)
    }

    /// A batch's replies as one JSON array.
    static func batch(_ replies: [[UInt8]]) -> [UInt8] {
        Array("[".utf8) + Array(replies.joined(separator: Array(",".utf8))) + Array("]".utf8)
    }
}

// MARK: - Messages in

/// One JSON-RPC message as the transport sees it, checked against JSON-RPC 2.0 §4–§5 so that
/// malformed input gets -32600 Invalid Request with the request's own id when it has one.
///
/// Parsed with JSONSerialization rather than into the SDK's `Value`: decoding `Value` tries
/// Bool, Int and Double before String and runs a data-URL regex on every string, which costs
/// 30–140 µs per scalar here (see `MethodDispatcher`).
enum IncomingMessage {
    case request(id: ID, method: String, params: MessageParams)
    case notification(method: String)
    /// A client's answer to a server-initiated request; we never send any, so it is only acknowledged.
    case response
    case invalid(id: ID?, reason: String)

    /// - Parameter body: the message's bytes as received, or nil to re-serialize `object` (batch items).
    static func classify(_ json: Any, body: Data? = nil) -> IncomingMessage {
        guard let object = json as? [String: Any] else { return .invalid(id: nil, reason: "a message must be a JSON object") }
        let idValue = object["id"]
        let id = idValue.flatMap(requestID)
        guard object["jsonrpc"] as? String == "2.0" else { return .invalid(id: id, reason: "\"jsonrpc\" must be \"2.0\"") }

        if let methodValue = object["method"] {
            guard let method = methodValue as? String, !method.isEmpty else {
                return .invalid(id: id, reason: "\"method\" must be a non-empty string")
            }
            if let params = object["params"], !(params is [String: Any]), !(params is NSNull) {
                return .invalid(id: id, reason: "\"params\" must be an object")
            }
            guard object["result"] == nil, object["error"] == nil else {
                return .invalid(id: id, reason: "a request cannot carry \"result\" or \"error\"")
            }
            guard idValue != nil else { return .notification(method: method) }
            // MCP 2025-06-18 basic §Requests: the id MUST be a string or integer, never null.
            guard let id else { return .invalid(id: nil, reason: "\"id\" must be a string or an integer") }
            let data = body ?? (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return .request(id: id, method: method, params: MessageParams(body: data, parsed: object["params"] as? [String: Any]))
        }
        if idValue != nil, (object["result"] != nil) != (object["error"] != nil) {
            return .response
        }
        return .invalid(id: id, reason: "a message needs \"method\", or \"id\" with \"result\" or \"error\"")
    }

    private static func requestID(_ value: Any) -> ID? {
        if let text = value as? String { return .string(text) }
        // JSONSerialization gives NSNumber; its type encoding tells booleans ("c") and
        // fractions ("d", "f") from integers.
        guard let number = value as? NSNumber, !["c", "d", "f"].contains(String(cString: number.objCType)) else { return nil }
        return .number(number.intValue)
    }
}

// MARK: - Errors and answers out

/// A JSON-RPC error response for messages rejected before dispatch (JSON-RPC 2.0 §5.1; `id` is
/// null when it could not be read).
struct JSONRPCErrorReply: Encodable {
    let id: ID?
    let code: Int
    let message: String
    let data: Value?

    init(id: ID?, code: Int, message: String, data: Value? = nil) {
        self.id = id
        self.code = code
        self.message = message
        self.data = data
    }

    static let parseErrorCode = -32700
    static let invalidRequestCode = -32600

    private enum Keys: String, CodingKey { case jsonrpc, id, error }
    private enum ErrorKeys: String, CodingKey { case code, message, data }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode("2.0", forKey: .jsonrpc)
        if let id { try container.encode(id, forKey: .id) } else { try container.encodeNil(forKey: .id) }
        var error = container.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
        try error.encode(code, forKey: .code)
        try error.encode(message, forKey: .message)
        try error.encodeIfPresent(data, forKey: .data)
    }

    var bytes: [UInt8] { JSONOutput.encode(self) }

    /// As a whole HTTP answer: transport-level rejections are 4xx (MCP 2025-06-18 transports §2.1.4).
    func response(status: Int = 400) -> HTTPMessages.Response {
        .jsonRPC(bytes, status: status)
    }
}

extension HTTPMessages.Response {
    /// A JSON-RPC answer (one reply or a batch), never cached.
    static func jsonRPC(_ body: [UInt8], status: Int = 200) -> HTTPMessages.Response {
        let headers = HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")])
        return HTTPMessages.Response(status: status, headers: headers, body: body)
    }

    /// Notifications and responses: accepted, nothing to say (MCP 2025-06-18 transports §2.1.4).
    static let accepted = HTTPMessages.Response(status: 202)
}
