import COpenSSL

/// AES-256-GCM authenticated encryption (NIST SP 800-38D) for secrets at rest, e.g.
/// refresh tokens or upstream credentials stored in the database.
///
/// Sealed format: nonce (12 bytes) || ciphertext || tag (16 bytes). The nonce is random per
/// message; with 96-bit random nonces keep well under 2^32 messages per key
/// (SP 800-38D §8.3).
public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    public static func seal(_ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        try checkKey(key)
        let nonce = SecureRandom.bytes(nonceSize)
        let context = try CipherContext(encrypt: true, key: key, nonce: nonce)
        try context.addAssociatedData(associatedData)
        let ciphertext = try context.update(plaintext)
        try context.finish()
        let tag = try context.tag()
        return nonce + ciphertext + tag
    }

    /// Throws `.invalidInput` for input shorter than nonce + tag, `.invalidKey` for a key
    /// that is not 32 bytes, and `.operationFailed` when authentication fails (tampered
    /// data, wrong key, or wrong associated data). No plaintext is returned on failure.
    public static func open(_ sealed: [UInt8], key: [UInt8], associatedData: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        try checkKey(key)
        guard sealed.count >= nonceSize + tagSize else {
            throw .invalidInput("sealed box shorter than nonce and tag")
        }
        let nonce = Array(sealed[..<nonceSize])
        let ciphertext = Array(sealed[nonceSize..<(sealed.count - tagSize)])
        let tag = Array(sealed[(sealed.count - tagSize)...])
        let context = try CipherContext(encrypt: false, key: key, nonce: nonce)
        try context.addAssociatedData(associatedData)
        let plaintext = try context.update(ciphertext)
        try context.setExpectedTag(tag)
        // Final is where GCM compares tags; only after it succeeds is the plaintext released.
        try context.finish()
        return plaintext
    }

    private static func checkKey(_ key: [UInt8]) throws(CryptoError) {
        guard key.count == keySize else {
            throw .invalidKey("AES-256-GCM key must be \(keySize) bytes")
        }
    }
}

/// One EVP_CIPHER_CTX for one AES-256-GCM message.
private final class CipherContext {
    private let context: OpaquePointer
    private let encrypt: Bool

    init(encrypt: Bool, key: [UInt8], nonce: [UInt8]) throws(CryptoError) {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw .operationFailed(OpenSSLErrorQueue.describe("EVP_CIPHER_CTX_new failed"))
        }
        self.context = context
        self.encrypt = encrypt
        let status = key.withUnsafeBufferPointer { keyPointer in
            nonce.withUnsafeBufferPointer { noncePointer in
                EVP_CipherInit_ex2(context, EVP_aes_256_gcm(), keyPointer.baseAddress, noncePointer.baseAddress,
                                   encrypt ? 1 : 0, nil)
            }
        }
        // 12 bytes is GCM's default IV length in OpenSSL, so no SET_IVLEN call is needed.
        guard status == 1 else {
            throw .operationFailed(OpenSSLErrorQueue.describe("AES-GCM init failed"))
        }
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    func addAssociatedData(_ data: [UInt8]) throws(CryptoError) {
        guard !data.isEmpty else { return }
        var length: Int32 = 0
        // A nil output buffer tells OpenSSL these bytes are AAD, authenticated but not encrypted.
        let status = data.withUnsafeBufferPointer {
            EVP_CipherUpdate(context, nil, &length, $0.baseAddress, Int32($0.count))
        }
        guard status == 1 else {
            throw .operationFailed(OpenSSLErrorQueue.describe("AES-GCM AAD failed"))
        }
    }

    func update(_ input: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        guard input.count <= Int(Int32.max) - AESGCM.tagSize else {
            throw .invalidInput("AES-GCM input too large")
        }
        // GCM is a stream mode (output length == input length); one extra block is headroom.
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var length: Int32 = 0
        let status = input.withUnsafeBufferPointer { inputPointer in
            output.withUnsafeMutableBufferPointer { outputPointer in
                EVP_CipherUpdate(context, outputPointer.baseAddress, &length, inputPointer.baseAddress, Int32(inputPointer.count))
            }
        }
        guard status == 1 else {
            throw .operationFailed(OpenSSLErrorQueue.describe("AES-GCM update failed"))
        }
        output.removeSubrange(Int(length)...)
        return output
    }

    func setExpectedTag(_ tag: [UInt8]) throws(CryptoError) {
        var tag = tag
        let status = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else {
            throw .operationFailed(OpenSSLErrorQueue.describe("AES-GCM set tag failed"))
        }
    }

    func finish() throws(CryptoError) {
        var trailing = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        let status = trailing.withUnsafeMutableBufferPointer {
            EVP_CipherFinal_ex(context, $0.baseAddress, &length)
        }
        guard status == 1 else {
            // For decryption this is the authentication failure; say so without detail.
            OpenSSLErrorQueue.clear()
            throw .operationFailed(encrypt ? "AES-GCM finalization failed" : "AES-GCM authentication failed")
        }
    }

    func tag() throws(CryptoError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: AESGCM.tagSize)
        let status = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else {
            throw .operationFailed(OpenSSLErrorQueue.describe("AES-GCM get tag failed"))
        }
        return tag
    }
}
