import HTTPMessages

/// Converts between CGI/FastCGI variables (RFC 3875) and our plain `Request` / `Response`.
///
/// Both the FastCGI workers and the one-shot CGI mode use this, so the two cannot drift apart.
public enum CGIMessage {
    /// What the declared body length means for this request.
    public enum BodyPlan: Equatable, Sendable {
        case read(Int)
        case reject(HTTPError)
    }

    /// Decides how many body bytes to read, before reading any: never more than declared,
    /// never more than the cap (RFC 3875 §4.1.2: CONTENT_LENGTH is the exact body size).
    public static func bodyPlan(contentLength: String?, maxBodyBytes: Int) -> BodyPlan {
        guard let text = contentLength, !text.isEmpty else { return .read(0) }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), text.utf8.count <= 18,
              let length = Int(text)
        else {
            return .reject(.badRequest("Content-Length is not a number"))
        }
        guard length <= maxBodyBytes else {
            return .reject(HTTPError(413, code: "payload_too_large",
                                     message: "request body is larger than \(maxBodyBytes) bytes"))
        }
        return .read(length)
    }

    /// Builds a request from CGI variables. `HTTP_*` variables become headers (`HTTP_X_FOO` ->
    /// `x-foo`); CONTENT_TYPE and CONTENT_LENGTH become their headers.
    public static func request(from variables: [String: String], body: [UInt8]) -> Request {
        var headers = HTTPHeaders()
        // Sorted, so the order does not depend on the dictionary's.
        for (name, value) in variables.filter({ $0.key.hasPrefix("HTTP_") }).sorted(by: { $0.key < $1.key }) {
            headers.add(headerName(cgiName: name.utf8.dropFirst(5)), value)
        }
        if let type = variables["CONTENT_TYPE"], !type.isEmpty { headers.set("content-type", type) }
        if let length = variables["CONTENT_LENGTH"], !length.isEmpty { headers.set("content-length", length) }

        let target = variables["REQUEST_URI"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((variables["SCRIPT_NAME"] ?? "") + (variables["PATH_INFO"] ?? ""))
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        let query = parts.count > 1 ? String(parts[1]) : (variables["QUERY_STRING"] ?? "")

        return Request(method: variables["REQUEST_METHOD"] ?? "GET", path: path, queryString: query,
                       headers: headers, body: body, remoteAddress: variables["REMOTE_ADDR"] ?? "",
                       requestID: RequestID.accept(headers["x-request-id"]))
    }

    /// Serializes a response the way CGI expects: a `Status:` line, headers, a blank line, the body.
    public static func serialize(_ response: Response) -> [UInt8] {
        var head = "Status: \(response.status) \(HTTPStatus.reasonPhrase(response.status))\r\n"
        for field in response.headers where isSafeHeader(field.name, field.value) {
            head += "\(field.name): \(field.value)\r\n"
        }
        if response.headers["Content-Length"] == nil {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + response.body
    }

    /// A header carrying CR or LF would let a value inject headers; such a field is dropped.
    private static func isSafeHeader(_ name: String, _ value: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == UInt8(ascii: ":") })
            && !value.utf8.contains(where: { $0 == 13 || $0 == 10 })
    }
}

/// `X_FOO` -> `x-foo`.
private func headerName(cgiName: Substring.UTF8View) -> String {
    String(decoding: cgiName.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : HTTPHeaders.asciiLowercased($0) }, as: UTF8.self)
}
