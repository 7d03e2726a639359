import Foundation

/// Who is calling, one value from the bearer gate down to the call to the user's API: made once
/// per request from a verified access token and its live session, passed on by value on the
/// worker thread, never kept in shared state.
public struct Caller: Sendable, Equatable {
    /// The Privy DID; the demo backend keys its items by it.
    public let userID: String
    public let clientID: String
    /// The scopes of the access token (RFC 6749 §3.3).
    public let scopes: [String]
    public let grantID: String
    /// The access token's `jti`, its session.
    public let jti: String
    /// The access token's audience (RFC 8707): our MCP URL.
    public let resource: String
    /// The user's Privy token, sent to the user's API as `Authorization: Bearer`. A secret:
    /// never logged, never put into an error message.
    public let privyAccessToken: String
    /// Correlates log lines with the access log (`X-Request-Id`); set by the gate.
    public var requestID: String
    /// When this request's calls to the user's API must be done, all of them together (set by
    /// `/mcp` as the request starts), so a batch or a slow API cannot hold a worker for long.
    public var deadline: Date = .distantFuture

    public init(userID: String, clientID: String, scopes: [String], grantID: String, jti: String, resource: String,
                privyAccessToken: String, requestID: String = "") {
        self.userID = userID
        self.clientID = clientID
        self.scopes = scopes
        self.grantID = grantID
        self.jti = jti
        self.resource = resource
        self.privyAccessToken = privyAccessToken
        self.requestID = requestID
    }
}
