import Privy

/// The email of the user who just approved, for the answer to the consent decision.
///
/// Only after a code was issued: `AuthorizationCompletion.complete` issues one only for a
/// verified Privy token, and refuses a `privy_user_id` that is not the token's subject, so that
/// id names the verified user. The lookup is bounded by its own timeout; its failure (or a
/// request without `privy_user_id`) only leaves the email out and never fails the authorization.
enum SignedInEmail {
    static func lookUp(codeIssued: Bool, claimedUserID: String?, lookup: (any UserEmailLookup)?) -> String? {
        guard codeIssued, let userID = claimedUserID, let lookup else { return nil }
        return lookup.email(userID: userID)
    }
}
