/// On whose behalf a backend call is made.
public struct BackendUser: Sendable, Equatable {
    /// The Privy DID; the demo backend keys its items by it.
    public let userID: String
    /// The user's Privy access token, sent to the user's API as `Authorization: Bearer`.
    /// A secret: never logged, never put into an error message.
    public let privyAccessToken: String

    public init(userID: String, privyAccessToken: String) {
        self.userID = userID
        self.privyAccessToken = privyAccessToken
    }
}
