/// One outbound HTTP request. A plain value so callers can build and pass it between threads.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    /// Sent in order; may carry bearer tokens, so the client never logs them.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Whole-transfer limit in seconds, so a slow peer cannot pin a worker thread.
    public var timeout: Double
    /// TCP + TLS connect limit in seconds.
    public var connectTimeout: Double
    /// The transfer is aborted as soon as the body would exceed this many bytes.
    public var maxResponseBytes: Int

    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeout: Double = 5,
        connectTimeout: Double = 2,
        maxResponseBytes: Int = 1 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}
