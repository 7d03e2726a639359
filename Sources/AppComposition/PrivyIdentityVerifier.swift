import OAuth
import Privy

/// Privy (or the development login, which issues Privy-format tokens) as the OAuth layer's
/// identity provider.
public struct PrivyIdentityVerifier: IdentityVerifier {
    let verifier: PrivyTokenVerifier

    public init(verifier: PrivyTokenVerifier) { self.verifier = verifier }

    public func verify(token: String) throws(IdentityError) -> VerifiedIdentity {
        do {
            return VerifiedIdentity(userID: try verifier.verify(token).userID)
        } catch {
            if case .keysUnavailable(let reason) = error { throw .unavailable(reason) }
            throw .invalid(error.description)
        }
    }
}
