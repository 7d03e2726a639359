/// A complete response. Any status (including 3xx, 4xx, 5xx) is a response, not an error:
/// the caller decides what a status means.
public struct HTTPClientResponse: Sendable {
    public let status: Int
    /// Final response's headers; names lowercased, repeated headers joined with ", ".
    public let headers: [String: String]
    public let body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Case-insensitive lookup, since HTTP header names are case-insensitive.
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}
