import Foundation

/// What presenting a refresh token did. Refresh tokens rotate on every use, and a used one
/// presented again means it leaked (or was stolen from the client): RFC 9700 §4.14.2 has the
/// server revoke the whole grant then, so the thief's and the user's tokens stop together and
/// the user signs in again. The store decides this in the same step as the rotation, so no
/// caller can rotate a token without the reuse rule applying.
///
/// The reuse interval (`REFRESH_REUSE_INTERVAL`, a few seconds): a token presented again within
/// that time of its first use rotates once more instead, leaving the grant alive. A client that
/// retries a refresh whose answer it lost, or sends several at once, would otherwise log its user
/// out; an attacker would have to replay a stolen token within those seconds, while the theft
/// that rotation exists to catch (a token used later by someone else) still revokes. Auth0
/// ("reuse interval") and Okta ("grace period") offer the same trade. Every token issued in the
/// interval is a child of the same grant, so a later revocation still ends them all.
public enum RefreshRotation: Sendable, Equatable {
    /// The token was live, or used within the reuse interval: the replacement is stored.
    case rotated
    /// The token had been used before the reuse interval: its whole grant (every refresh token
    /// and access token of it) is revoked, in the same step.
    case reused(grantID: String)
    /// Unknown, expired or revoked, or its grant was revoked: nothing changed.
    case invalid
}

extension RefreshToken {
    /// Used, but so recently that presenting it again is taken for a retry, not a theft.
    public func isWithinReuseInterval(_ interval: TimeInterval, now: Date) -> Bool {
        guard let usedAt, interval > 0 else { return false }
        return now >= usedAt && now.timeIntervalSince(usedAt) <= interval
    }
}
