/// Who logged in, as proven by the identity provider (Privy, or the development login).
public struct VerifiedIdentity: Sendable, Equatable {
    public let userID: String
    public init(userID: String) { self.userID = userID }
}

public enum IdentityError: Error, Equatable {
    /// The token is not acceptable; the reason names the failed check.
    case invalid(String)
    /// The provider's keys could not be obtained; try again later.
    case unavailable(String)
}

/// The seam between the OAuth rules and the identity provider.
public protocol IdentityVerifier: Sendable {
    func verify(token: String) throws(IdentityError) -> VerifiedIdentity
}
