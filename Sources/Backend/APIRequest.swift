/// One call on the user's API, relative to its base: what a tool asks the transport to send.
public struct APIRequest: Sendable {
    public var method: String
    /// Path and query, already percent-encoded, starting with "/" (appended to `BACKEND_API_URL`).
    public var target: String
    /// Extra headers (the manifest's). The transport adds the user's token and `Accept` itself.
    public var headers: [(name: String, value: String)]
    /// A JSON body, sent as `application/json`.
    public var body: [UInt8]?
    /// Whole-call limit in seconds; nil is the transport's own (`BACKEND_TIMEOUT_SECONDS`).
    public var timeout: Double?

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                timeout: Double? = nil) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// The API's answer, whatever its status: what a status means is the tool's business.
public struct APIResponse: Sendable, Equatable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}
