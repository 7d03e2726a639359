import CCurl

/// Blocking HTTP client on libcurl, for plain worker threads. Each `send` builds and
/// destroys its own easy handle, so concurrent calls share nothing and need no locks.
///
/// Deliberate policy: redirects are never followed (a 3xx is returned as is, so callers
/// re-validate any Location themselves); only `allowedSchemes` can be used; TLS peers and
/// host names are verified; and with `blockPrivateAddresses` the connection is refused
/// unless the resolved peer is a public address (SSRF guard for stranger-supplied URLs).
public struct CurlHTTPClient: HTTPFetching {
    private let allowedSchemes: Set<String>
    private let blockPrivateAddresses: Bool

    public init(allowedSchemes: Set<String> = ["https", "http"], blockPrivateAddresses: Bool = false) {
        self.allowedSchemes = Set(allowedSchemes.map { $0.lowercased() })
        self.blockPrivateAddresses = blockPrivateAddresses
    }

    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        try CurlGlobal.ensureInitialized()
        try RequestValidation.checkURL(request.url, allowedSchemes: allowedSchemes)
        try RequestValidation.checkMethod(request.method)
        let headerLines = try RequestValidation.headerLines(request.headers)

        let easy = try CurlEasyHandle()
        let context = TransferContext(
            maxBodyBytes: max(0, request.maxResponseBytes),
            blockPrivateAddresses: blockPrivateAddresses
        )
        return try withExtendedLifetime(context) { () throws(HTTPClientError) -> HTTPClientResponse in
            try configureTransport(easy, request: request)
            try configureCallbacks(easy, context: context)
            try configureMessage(easy, request: request, headerLines: headerLines)

            let code = curl_easy_perform(easy.handle)
            guard code == CURLE_OK else {
                throw CurlErrorMapping.error(for: code, context: context, message: easy.errorMessage(for: code))
            }
            return HTTPClientResponse(status: easy.responseCode(), headers: context.headers, body: context.body)
        }
    }

    private func configureTransport(_ easy: CurlEasyHandle, request: HTTPClientRequest) throws(HTTPClientError) {
        try easy.set(CURLOPT_URL, request.url)
        // Signals cannot be used for timeouts in a multi-threaded process.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        let protocols = allowedSchemes.sorted().joined(separator: ",")
        try easy.set(CURLOPT_PROTOCOLS_STR, protocols)
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        // curl's defaults, stated so no one can mistake their absence for an oversight.
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        try easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        if blockPrivateAddresses {
            // Through a proxy the open-socket callback would only see the proxy's address
            // and the proxy would resolve the target itself, defeating the guard.
            try easy.set(CURLOPT_PROXY, "")
        }
    }

    private func configureCallbacks(_ easy: CurlEasyHandle, context: TransferContext) throws(HTTPClientError) {
        try check(ccurl_setopt_write_function(easy.handle, CURLOPT_WRITEFUNCTION, CurlCallbacks.write))
        try easy.set(CURLOPT_WRITEDATA, pointer: context.opaque)
        try check(ccurl_setopt_header_function(easy.handle, CurlCallbacks.header))
        try easy.set(CURLOPT_HEADERDATA, pointer: context.opaque)
        try check(ccurl_setopt_opensocket_function(easy.handle, CurlCallbacks.openSocket))
        try easy.set(CURLOPT_OPENSOCKETDATA, pointer: context.opaque)
    }

    private func configureMessage(_ easy: CurlEasyHandle, request: HTTPClientRequest, headerLines: [String]) throws(HTTPClientError) {
        let method = request.method
        if request.body != nil || method == "POST" {
            try easy.setBody(request.body ?? [])
            if method != "POST" { try easy.set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "GET" {
            try easy.set(CURLOPT_HTTPGET, 1)
        } else if method == "HEAD" {
            try easy.set(CURLOPT_NOBODY, 1)
        } else {
            try easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
        // Reject early on an announced Content-Length over the cap (the write callback
        // still enforces it for chunked or unannounced bodies). Not for HEAD: its
        // Content-Length describes a body that never comes. 0 would mean "no limit" to curl,
        // so a zero cap is left to the write callback alone.
        if method != "HEAD", request.maxResponseBytes > 0 {
            try easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(request.maxResponseBytes))
        }
        try easy.setHeaders(headerLines)
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw .transferFailed("installing curl callback failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// curl treats 0 as "no timeout"; a zero, negative or NaN value becomes 1 ms instead,
    /// so a bad configuration can never mean "wait forever".
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds > 0 else { return 1 }
        return Int(min(seconds * 1000, 1e12).rounded(.up))
    }
}
