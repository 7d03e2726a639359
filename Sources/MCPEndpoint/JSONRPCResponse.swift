import HTTPMessages

extension Response {
    /// A JSON-RPC answer (one reply or a batch), never cached.
    static func jsonRPC(_ body: [UInt8], status: Int = 200) -> Response {
        Response(status: status, headers: HTTPHeaders([("Content-Type", "application/json"), ("Cache-Control", "no-store")]),
                 body: body)
    }

    /// Notifications and responses: accepted, nothing to say (MCP 2025-06-18 transports §2.1.4).
    static let accepted = Response(status: 202)
}
