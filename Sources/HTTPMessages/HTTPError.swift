/// An error that knows the response it should become.
public protocol HTTPResponseError: Error {
    func response() -> Response
}

/// The plain JSON error every non-OAuth route answers with: `{"error": code, "message": text}`.
public struct HTTPError: HTTPResponseError, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    public var headers: HTTPHeaders

    public init(_ status: Int, code: String, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String) -> HTTPError {
        HTTPError(400, code: "invalid_request", message: message)
    }

    public func response() -> Response {
        .json(Body(error: code, message: message), status: status, headers: headers)
    }

    private struct Body: Encodable {
        let error: String
        let message: String
    }
}
