import Crypto

/// Our RS256 key for access tokens, plus earlier public keys still published during a rotation
/// so tokens signed before it keep verifying until they expire.
public final class SigningKeys: Sendable {
    public let signingKey: RSAPrivateKey
    public let keyID: String
    private let verificationKeys: [String: RSAPublicKey]

    public init(signingKey: RSAPrivateKey, previousPublicKeys: [RSAPublicKey] = []) {
        self.signingKey = signingKey
        // RFC 7638 thumbprints as key ids: stable for a key, different for every other key.
        self.keyID = signingKey.publicKey.thumbprint()
        var keys = [keyID: signingKey.publicKey]
        for key in previousPublicKeys { keys[key.thumbprint()] = key }
        self.verificationKeys = keys
    }

    public func verificationKey(id: String?) -> RSAPublicKey? {
        guard let id else { return nil }
        return verificationKeys[id]
    }

    /// The JWK Set (RFC 7517 §5), current key first.
    public var jwks: [[String: String]] {
        let ordered = [keyID] + verificationKeys.keys.filter { $0 != keyID }.sorted()
        return ordered.compactMap { id in
            verificationKeys[id].map { key in
                ["kty": "RSA", "use": "sig", "alg": "RS256", "kid": id,
                 "n": Base64URL.encode(key.modulus), "e": Base64URL.encode(key.exponent)]
            }
        }
    }
}
