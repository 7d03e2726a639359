/// The authorization server's endpoint paths, in one list: the routes are registered at these
/// paths and the metadata (RFC 8414 §2) advertises them, so the two cannot drift.
public enum OAuthEndpoint {
    public static let authorize = "/authorize"
    public static let token = "/token"
    public static let register = "/register"
    public static let revoke = "/revoke"
    public static let introspect = "/token/introspect"
    public static let jwks = "/.well-known/jwks.json"
    /// The protected resource's metadata (RFC 9728 §3.1), for the MCP endpoint.
    public static let protectedResourceMetadata = "/.well-known/oauth-protected-resource/mcp"
}

/// The grant types this server implements (RFC 6749 §4.1.3, §6), in one list: the token endpoint
/// has one handler for each, the metadata advertises them, registration accepts only them.
public enum GrantType: String, CaseIterable, Sendable {
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"

    public static var all: [String] { allCases.map(\.rawValue) }
}
