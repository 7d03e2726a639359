import COpenSSL

/// An ECDSA P-256 public key for verifying ES256 JWS signatures (e.g. Privy identity tokens).
public final class P256PublicKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after init, and each verify call uses its
    // own EVP_MD_CTX, so concurrent use is safe.
    let key: OpaquePointer

    /// Affine x coordinate, 32 bytes big-endian (JWK "x", RFC 7518 §6.2.1.2).
    public let x: [UInt8]
    /// Affine y coordinate, 32 bytes big-endian (JWK "y", RFC 7518 §6.2.1.3).
    public let y: [UInt8]

    /// Takes ownership of `key` (freed on failure too). Checks the curve and that the point
    /// is valid, so invalid-curve points never reach ECDSA verification.
    init(taking key: OpaquePointer) throws(CryptoError) {
        let point: (x: [UInt8], y: [UInt8])
        do throws(CryptoError) {
            try P256Curve.check(key)
            try KeyComponents.validate(key, privateKey: false)
            point = try P256Curve.coordinates(key)
        } catch {
            EVP_PKEY_free(key)
            throw error
        }
        self.key = key
        self.x = point.x
        self.y = point.y
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// SPKI "BEGIN PUBLIC KEY". Keys on any curve other than P-256 are rejected.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(taking: PEMCoding.readPublicKey(pem, keyType: "EC"))
    }

    /// From JWK "x" and "y" after base64url decoding: exactly 32 bytes each (RFC 7518
    /// §6.2.1.2-3), imported as the uncompressed SEC 1 point 04 || x || y.
    public convenience init(x: [UInt8], y: [UInt8]) throws(CryptoError) {
        guard x.count == P256Curve.coordinateSize, y.count == P256Curve.coordinateSize else {
            throw .invalidKey("P-256 coordinates must be 32 bytes each")
        }
        let builder = try KeyParameterBuilder()
        builder.pushUTF8String(OSSL_PKEY_PARAM_GROUP_NAME, P256Curve.groupName)
        builder.pushOctetString(OSSL_PKEY_PARAM_PUB_KEY, [0x04] + x + y)
        try self.init(taking: builder.makeKey(type: "EC", selection: copenssl_selection_public_key()))
    }

    /// SPKI "BEGIN PUBLIC KEY".
    public var pem: String {
        PEMCoding.publicKeyPEM(key)
    }

    /// ECDSA P-256 with SHA-256 (JWS "ES256", RFC 7518 §3.4). `rawSignature` must be the
    /// 64-byte r || s; anything else, DER included, is false.
    public func verifyES256(rawSignature: [UInt8], message: [UInt8]) -> Bool {
        guard let der = ECDSASignatureEncoding.der(fromRaw: rawSignature) else { return false }
        return DigestSignature.verify(der, message: message, key: key, rsaPadding: nil)
    }
}
