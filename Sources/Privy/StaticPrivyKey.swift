import Crypto
import Foundation

/// The single verification key from the Privy dashboard (PRIVY_VERIFICATION_KEY, SPKI PEM,
/// ECDSA P-256). Any "kid" is accepted, as Privy's own SDKs do when given a verification
/// key instead of the JWKS: there is only one key to try.
public struct StaticPrivyKey: PrivyKeySource {
    private let publicKey: P256PublicKey

    /// `pem` is "-----BEGIN PUBLIC KEY-----" text. Newlines written as the two characters
    /// "\n" (common when a PEM is squeezed into one environment-variable line) are restored.
    public init(pem: String) throws(CryptoError) {
        try self.init(key: P256PublicKey(pem: Self.restoringNewlines(pem)))
    }

    public init(key: P256PublicKey) {
        self.publicKey = key
    }

    public func key(for keyID: String?) throws(PrivyTokenError) -> P256PublicKey {
        publicKey
    }

    private static func restoringNewlines(_ pem: String) -> String {
        guard !pem.contains("\n"), pem.contains("\\n") else { return pem }
        return pem.replacingOccurrences(of: "\\n", with: "\n")
    }
}
