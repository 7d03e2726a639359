/// The part of an HTTP request the MCP transport looks at; Routes builds it from its `Request`,
/// so this library knows nothing of FastCGI or the router.
public struct MCPHTTPRequest: Sendable {
    /// Header fields as received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(headers: [(name: String, value: String)], body: [UInt8]) {
        self.headers = headers
        self.body = body
    }

    /// The first value of a header; names match regardless of ASCII case (RFC 9110 §5.1).
    /// A scan rather than a table: a request looks up one or two headers.
    public func header(_ name: String) -> String? {
        headers.first { field in
            field.name.utf8.count == name.utf8.count
                && zip(field.name.utf8, name.utf8).allSatisfy { Self.asciiLowercased($0) == Self.asciiLowercased($1) }
        }?.value
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}

/// What the transport answers; Routes turns it back into its `Response`.
public struct MCPHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func json(_ body: [UInt8], status: Int = 200) -> MCPHTTPResponse {
        MCPHTTPResponse(status: status, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body: body)
    }

    /// Notifications and responses: accepted, nothing to say (MCP 2025-06-18 transports §2.1.4).
    static let accepted = MCPHTTPResponse(status: 202)

    public static func == (lhs: MCPHTTPResponse, rhs: MCPHTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}
