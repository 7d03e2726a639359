import COpenSSL

/// An RSA public key for verifying RS256 JWS signatures (RFC 7518 §3.3).
public final class RSAPublicKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after init, and each verify call uses its
    // own EVP_MD_CTX, so concurrent use is safe.
    let key: OpaquePointer

    /// Modulus n, unsigned big-endian without leading zeros (JWK "n", RFC 7518 §6.3.1.1).
    public let modulus: [UInt8]
    /// Public exponent e, unsigned big-endian without leading zeros (JWK "e").
    public let exponent: [UInt8]

    /// Takes ownership of `key` (freed on failure too). Validates type, size and structure.
    init(taking key: OpaquePointer) throws(CryptoError) {
        let components: (modulus: [UInt8], exponent: [UInt8])
        do throws(CryptoError) {
            try RSAKeyPolicy.check(key)
            try KeyComponents.validate(key, privateKey: false)
            guard let modulus = KeyComponents.bigEndian(key, OSSL_PKEY_PARAM_RSA_N),
                  let exponent = KeyComponents.bigEndian(key, OSSL_PKEY_PARAM_RSA_E)
            else { throw .invalidKey("cannot read RSA components") }
            components = (modulus, exponent)
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
        self.modulus = components.modulus
        self.exponent = components.exponent
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// SPKI "BEGIN PUBLIC KEY" or PKCS#1 "BEGIN RSA PUBLIC KEY".
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(taking: PEMCoding.readPublicKey(pem, keyType: "RSA"))
    }

    /// From JWK "n" and "e" after base64url decoding (RFC 7518 §6.3.1). Leading zero bytes
    /// are tolerated; the key must still pass the size and validity checks.
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws(CryptoError) {
        guard !modulus.isEmpty, !exponent.isEmpty else {
            throw .invalidKey("empty RSA modulus or exponent")
        }
        let builder = try KeyParameterBuilder()
        builder.pushBigNumber(OSSL_PKEY_PARAM_RSA_N, bigEndian: modulus)
        builder.pushBigNumber(OSSL_PKEY_PARAM_RSA_E, bigEndian: exponent)
        try self.init(taking: builder.makeKey(type: "RSA", selection: copenssl_selection_public_key()))
    }

    /// SPKI "BEGIN PUBLIC KEY".
    public var pem: String {
        PEMCoding.publicKeyPEM(key)
    }

    /// Modulus size in bits.
    public var bits: Int {
        Int(EVP_PKEY_get_bits(key))
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256", RFC 7518 §3.3). False for any invalid
    /// or malformed signature.
    public func verifyRS256(signature: [UInt8], message: [UInt8]) -> Bool {
        DigestSignature.verify(signature, message: message, key: key, rsaPadding: .pkcs1v15)
    }

    /// RFC 7638 JWK thumbprint: base64url(SHA-256) of the required members in lexicographic
    /// order with no whitespace (§3.2): {"e":"..","kty":"RSA","n":".."}. Stable across
    /// encodings of the same key, so it serves as the default "kid".
    public func thumbprint() -> String {
        let canonical = #"{"e":"\#(Base64URL.encode(exponent))","kty":"RSA","n":"\#(Base64URL.encode(modulus))"}"#
        return Base64URL.encode(SHA256.hash(canonical))
    }
}
