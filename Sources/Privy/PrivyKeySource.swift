import Crypto

/// Where the verifier gets the public key for a token's "kid" (RFC 7515 §4.1.4).
/// Implementations must be safe to call from many worker threads at once.
public protocol PrivyKeySource: Sendable {
    /// The key to verify a token whose header names `keyID`. Throws `.unknownKey` when
    /// there is none, `.keysUnavailable` when the keys could not be obtained at all.
    func key(for keyID: String?) throws(PrivyTokenError) -> P256PublicKey
}
