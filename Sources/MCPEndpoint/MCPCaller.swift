/// Who is calling /mcp, established by the bearer gate in Routes before the endpoint runs.
/// One value per HTTP request, passed down the call chain to the tool on the same worker
/// thread, never kept in state shared between threads.
public struct MCPCaller: Sendable, Equatable {
    public let userID: String
    public let clientID: String
    public let scopes: [String]
    public let grantID: String
    /// The user's Privy token for calls to the user's API. A secret: never logged.
    public let privyAccessToken: String
    /// Correlates log lines with the access log (`X-Request-Id`).
    public let requestID: String

    public init(userID: String, clientID: String, scopes: [String], grantID: String, privyAccessToken: String,
                requestID: String = "") {
        self.userID = userID
        self.clientID = clientID
        self.scopes = scopes
        self.grantID = grantID
        self.privyAccessToken = privyAccessToken
        self.requestID = requestID
    }
}
