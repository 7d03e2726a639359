import COpenSSL

/// An RSA private key for issuing RS256 access tokens (RFC 7518 §3.3).
public final class RSAPrivateKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after init, and each sign call uses its own
    // EVP_MD_CTX, so concurrent use is safe.
    private let key: OpaquePointer

    /// The matching public key, derived once at load time.
    public let publicKey: RSAPublicKey

    /// Takes ownership of `key` (freed on failure too).
    private init(taking key: OpaquePointer, verifyPair: Bool) throws(CryptoError) {
        let publicKey: RSAPublicKey
        do throws(CryptoError) {
            try RSAKeyPolicy.check(key)
            if verifyPair {
                // A PEM can parse yet carry inconsistent CRT values; catch that at startup
                // rather than by issuing tokens nobody can verify.
                try KeyComponents.validate(key, privateKey: true)
            }
            guard let modulus = KeyComponents.bigEndian(key, OSSL_PKEY_PARAM_RSA_N),
                  let exponent = KeyComponents.bigEndian(key, OSSL_PKEY_PARAM_RSA_E)
            else { throw .invalidKey("cannot read RSA components") }
            publicKey = try RSAPublicKey(modulus: modulus, exponent: exponent)
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

    /// PKCS#8 "BEGIN PRIVATE KEY" or PKCS#1 "BEGIN RSA PRIVATE KEY", unencrypted.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(taking: PEMCoding.readPrivateKey(pem), verifyPair: true)
    }

    /// A new key with public exponent 65537. `bits` must be 2048...8192 (RFC 7518 §3.3).
    public static func generate(bits: Int = 2048) throws(CryptoError) -> RSAPrivateKey {
        guard (RSAKeyPolicy.minimumBits...RSAKeyPolicy.maximumBits).contains(bits) else {
            throw .invalidInput("RSA key size \(bits) outside \(RSAKeyPolicy.minimumBits)...\(RSAKeyPolicy.maximumBits)")
        }
        // EVP_RSA_gen / EVP_PKEY_Q_keygen are a macro and a variadic function; neither imports.
        let key = try KeyComponents.generate(type: EVP_PKEY_RSA) { context in
            EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits))
        }
        return try RSAPrivateKey(taking: key, verifyPair: false)
    }

    /// PKCS#8 "BEGIN PRIVATE KEY", unencrypted. Handle as a secret.
    public var pem: String {
        PEMCoding.privateKeyPEM(key)
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256", RFC 7518 §3.3). Deterministic: the same
    /// key and message always give the same signature.
    public func signRS256(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        try DigestSignature.sign(message, key: key, rsaPadding: .pkcs1v15)
    }
}
