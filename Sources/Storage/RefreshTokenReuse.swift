/// What presenting a refresh token did. Refresh tokens rotate on every use, and a used one
/// presented again means it leaked (or was stolen from the client): RFC 9700 §4.14.2 has the
/// server revoke the whole grant then, so the thief's and the user's tokens stop together and
/// the user signs in again. The store decides this in the same step as the rotation, so no
/// caller can rotate a token without the reuse rule applying.
public enum RefreshRotation: Sendable, Equatable {
    /// The token was live: it is now used, and the replacement stored.
    case rotated
    /// The token had been used before: its whole grant (every refresh token and access token of
    /// it) is revoked, in the same step.
    case reused(grantID: String)
    /// Unknown, expired or revoked, or its grant was revoked: nothing changed.
    case invalid
}
