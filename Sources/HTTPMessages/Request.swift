/// One HTTP request as a plain value: what FastCGI, CGI and tests all produce.
public struct Request: Sendable {
    public var method: String
    /// The path without the query string, as sent (not percent-decoded).
    public var path: String
    /// The raw query string without the leading `?`.
    public var queryString: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var remoteAddress: String
    /// Correlates the access log line with the response (`X-Request-Id`).
    public var requestID: String

    public init(method: String, path: String, queryString: String = "", headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = [], remoteAddress: String = "127.0.0.1", requestID: String = RequestID.make()) {
        self.method = method.uppercased()
        self.path = path
        self.queryString = queryString
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
    }

    /// Builds a request from a target such as `/authorize?client_id=x`.
    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(method: method, path: String(parts[0]), queryString: parts.count > 1 ? String(parts[1]) : "",
                  headers: headers, body: body)
    }

    /// The media type of the body without parameters, lowercased (`application/json`).
    public var mediaType: String? {
        headers["Content-Type"].map { String($0.split(separator: ";")[0]).trimmingCharacters(in: " \t").lowercased() }
    }

    /// Query parameters; a malformed query yields a client error.
    public func queryParameters() throws(HTTPError) -> FormParameters {
        try FormParameters(urlEncoded: queryString)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let skip: (Character) -> Bool = { set.contains($0) }
        guard let start = firstIndex(where: { !skip($0) }) else { return "" }
        let end = lastIndex(where: { !skip($0) })!
        return String(self[start...end])
    }
}
