import HTTPMessages

/// One request/response cycle driven by CGI variables, shared by FastCGI workers and CGI mode:
/// decide the body plan, read exactly that many bytes, answer, and say what to log.
public struct CGIExchange {
    public let request: Request
    public let response: Response

    /// `readBody(n)` must return exactly `n` bytes, or nil when the client sent fewer.
    public init(variables: [String: String], maxBodyBytes: Int, responder: some Responder,
                readBody: (Int) -> [UInt8]?) {
        switch CGIMessage.bodyPlan(contentLength: variables["CONTENT_LENGTH"], maxBodyBytes: maxBodyBytes) {
        case .reject(let error):
            request = CGIMessage.request(from: variables, body: [])
            response = error.response()
        case .read(let length):
            if let body = readBody(length) {
                request = CGIMessage.request(from: variables, body: body)
                response = responder.respond(to: request)
            } else {
                request = CGIMessage.request(from: variables, body: [])
                response = HTTPError.badRequest("request body is shorter than Content-Length").response()
            }
        }
    }

    /// The bytes to write back, with the request id every response carries.
    public var output: [UInt8] {
        var response = response
        response.headers.set("X-Request-Id", request.requestID)
        return CGIMessage.serialize(response)
    }
}
