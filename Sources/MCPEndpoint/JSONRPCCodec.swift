import Foundation
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
