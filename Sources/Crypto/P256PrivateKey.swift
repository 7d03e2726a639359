import COpenSSL

/// An ECDSA P-256 private key for ES256 signatures (RFC 7518 §3.4).
public final class P256PrivateKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after init, and each sign call uses its own
    // EVP_MD_CTX, so concurrent use is safe.
    private let key: OpaquePointer

    /// The matching public key, derived once at load time.
    public let publicKey: P256PublicKey

    /// Takes ownership of `key` (freed on failure too).
    private init(taking key: OpaquePointer, verifyPair: Bool) throws(CryptoError) {
        let publicKey: P256PublicKey
        do throws(CryptoError) {
            try P256Curve.check(key)
            if verifyPair {
                // Catch a PEM whose public point does not match its scalar at load time.
                try KeyComponents.validate(key, privateKey: true)
            }
            let point = try P256Curve.coordinates(key)
            publicKey = try P256PublicKey(x: point.x, y: point.y)
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
        self.publicKey = publicKey
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// A new random P-256 key.
    public static func generate() throws(CryptoError) -> P256PrivateKey {
        let key = try KeyComponents.generate(type: EVP_PKEY_EC) { context in
            EVP_PKEY_CTX_set_group_name(context, P256Curve.groupName)
        }
        return try P256PrivateKey(taking: key, verifyPair: false)
    }

    /// PKCS#8 "BEGIN PRIVATE KEY" or SEC 1 "BEGIN EC PRIVATE KEY", unencrypted, on P-256.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(taking: PEMCoding.readPrivateKey(pem), verifyPair: true)
    }

    /// PKCS#8 "BEGIN PRIVATE KEY", unencrypted. Handle as a secret.
    public var pem: String {
        PEMCoding.privateKeyPEM(key)
    }

    /// JWS ES256 signature: raw r || s, each left-padded to 32 bytes (RFC 7518 §3.4).
    /// Randomized (OpenSSL draws a fresh nonce), so two signatures of one message differ.
    public func signES256(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        let der = try DigestSignature.sign(message, key: key, rsaPadding: nil)
        guard let raw = ECDSASignatureEncoding.raw(fromDER: der) else {
            throw .operationFailed("cannot convert ECDSA signature to r||s")
        }
        return raw
    }
}
