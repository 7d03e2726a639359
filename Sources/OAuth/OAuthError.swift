/// An OAuth error response: an RFC error code, a human description, and the HTTP status it
/// travels with. Descriptions are ours, never echoes of attacker input beyond short names.
public struct OAuthError: Error, Equatable, Sendable {
    public enum Code: String, Sendable {
        // RFC 6749 §4.1.2.1 and §5.2
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case unsupportedResponseType = "unsupported_response_type"
        case invalidScope = "invalid_scope"
        case accessDenied = "access_denied"
        case serverError = "server_error"
        case temporarilyUnavailable = "temporarily_unavailable"
        // RFC 8707 §2
        case invalidTarget = "invalid_target"
        // RFC 7591 §3.2.2
        case invalidRedirectURI = "invalid_redirect_uri"
        case invalidClientMetadata = "invalid_client_metadata"
        // RFC 6750 §3.1
        case invalidToken = "invalid_token"
        case insufficientScope = "insufficient_scope"
        // RFC 7009 §2.2.1
        case unsupportedTokenType = "unsupported_token_type"
        // OpenID Connect Core 1.0 §3.1.2.6, used by RFC 9101 §6.1 (JWT-secured requests)
        case requestNotSupported = "request_not_supported"
        case requestURINotSupported = "request_uri_not_supported"
    }

    public var code: Code
    public var description: String
    public var status: Int

    public init(_ code: Code, _ description: String, status: Int? = nil) {
        self.code = code
        self.description = description
        self.status = status ?? Self.defaultStatus(code)
    }

    /// RFC 6749 §5.2: 400 for everything except client authentication failures (401).
    private static func defaultStatus(_ code: Code) -> Int {
        switch code {
        case .invalidClient, .invalidToken: 401
        case .insufficientScope: 403
        case .serverError: 500
        case .temporarilyUnavailable: 503
        default: 400
        }
    }

    public static func invalidRequest(_ description: String) -> OAuthError { OAuthError(.invalidRequest, description) }
    public static func invalidGrant(_ description: String) -> OAuthError { OAuthError(.invalidGrant, description) }
    public static func unavailable(_ description: String) -> OAuthError {
        OAuthError(.temporarilyUnavailable, description, status: 503)
    }
}
