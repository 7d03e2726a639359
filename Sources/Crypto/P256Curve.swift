import COpenSSL

/// Rules shared by P-256 public and private keys.
enum P256Curve {
    /// OpenSSL's name for NIST P-256 / secp256r1 (the only curve JWS ES256 allows,
    /// RFC 7518 §3.4).
    static let groupName = "prime256v1"
    /// Field element size in bytes: JWK x/y are exactly this long (RFC 7518 §6.2.1.2).
    static let coordinateSize = 32

    /// Throws unless `key` is an EC key on P-256 (rejects RSA, other curves, SM2, ...).
    static func check(_ key: OpaquePointer) throws(CryptoError) {
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC else {
            throw .invalidKey("not an EC key")
        }
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        let status = name.withUnsafeMutableBufferPointer {
            EVP_PKEY_get_group_name(key, $0.baseAddress, $0.count, &length)
        }
        guard status == 1 else {
            throw .invalidKey(OpenSSLErrorQueue.describe("EC key has no named curve"))
        }
        let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard curve == groupName else {
            throw .invalidKey("EC key is on \(curve), not P-256")
        }
    }

    /// The affine public point (x, y), each left-padded to 32 bytes.
    static func coordinates(_ key: OpaquePointer) throws(CryptoError) -> (x: [UInt8], y: [UInt8]) {
        guard let x = KeyComponents.bigEndian(key, OSSL_PKEY_PARAM_EC_PUB_X, minimumLength: coordinateSize),
              let y = KeyComponents.bigEndian(key, OSSL_PKEY_PARAM_EC_PUB_Y, minimumLength: coordinateSize),
              x.count == coordinateSize, y.count == coordinateSize
        else { throw .invalidKey("cannot read P-256 public point") }
        return (x, y)
    }
}
