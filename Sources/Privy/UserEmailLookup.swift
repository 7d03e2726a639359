/// Where the consent step gets a signed-in user's email for display. Implementations answer
/// nil for any failure and within a bounded time: a missing email must never block a login.
public protocol UserEmailLookup: Sendable {
    /// The email of the Privy user `userID` (did:privy:...), or nil.
    func email(userID: String) -> String?
}
