import COpenSSL

/// Size and type rules shared by RSA public and private keys.
enum RSAKeyPolicy {
    /// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used" with RS256.
    static let minimumBits = 2048
    /// Upper bound so an oversized key (e.g. from a hostile JWKS) cannot make each
    /// verification arbitrarily slow.
    static let maximumBits = 8192

    static func check(_ key: OpaquePointer) throws(CryptoError) {
        // EVP_PKEY_RSA_PSS keys have their own id and are rejected: RS256 is PKCS#1 v1.5.
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            throw .invalidKey("not an RSA key")
        }
        let bits = Int(EVP_PKEY_get_bits(key))
        guard (minimumBits...maximumBits).contains(bits) else {
            throw .invalidKey("RSA key is \(bits) bits; \(minimumBits)...\(maximumBits) required")
        }
    }
}
