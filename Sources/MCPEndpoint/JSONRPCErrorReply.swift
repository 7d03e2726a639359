import Foundation
import HTTPMessages
import MCP
import WebRules

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
