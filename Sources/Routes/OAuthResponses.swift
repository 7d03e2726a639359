import HTTPMessages
import OAuth

/// OAuth errors render as RFC 6749 §5.2 JSON, never cached.
extension OAuthError: HTTPResponseError {
    public func response() -> Response {
        .json(Body(error: code.rawValue, error_description: description), status: status, headers: .noStore)
    }

    private struct Body: Encodable {
        let error: String
        let error_description: String
    }
}

extension HTTPHeaders {
    /// RFC 6749 §5.1: token responses carry `Cache-Control: no-store`.
    static var noStore: HTTPHeaders { HTTPHeaders([("Cache-Control", "no-store"), ("Pragma", "no-cache")]) }
}

extension Response {
    static func oauthJSON(_ value: some Encodable, status: Int = 200) -> Response {
        .json(value, status: status, headers: .noStore)
    }
}

extension HTTPError {
    /// Request-level problems at OAuth endpoints speak the OAuth error format too.
    var asOAuthError: OAuthError {
        OAuthError(.invalidRequest, message, status: status)
    }
}
