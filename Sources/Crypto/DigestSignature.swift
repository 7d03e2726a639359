import COpenSSL

/// SHA-256 sign/verify over a whole message with EVP_DigestSign/EVP_DigestVerify.
///
/// A fresh EVP_MD_CTX per call is what makes one shared EVP_PKEY safe to use from many
/// threads at once (OpenSSL treats the key as read-only during these operations).
enum DigestSignature {
    /// Padding for RSA keys; ignored (nil) for EC keys.
    enum RSAPadding {
        /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2), what JWS "RS256" means (RFC 7518 §3.3).
        case pkcs1v15
    }

    /// The signature in OpenSSL's native form: raw bytes for RSA, DER for ECDSA.
    static func sign(_ message: [UInt8], key: OpaquePointer, rsaPadding: RSAPadding?) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw .operationFailed(OpenSSLErrorQueue.describe("EVP_MD_CTX_new failed"))
        }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, EVP_sha256(), nil, key) == 1,
              applyPadding(rsaPadding, to: keyContext)
        else {
            throw .operationFailed(OpenSSLErrorQueue.describe("EVP_DigestSignInit failed"))
        }
        var length = Int(EVP_PKEY_get_size(key))
        guard length > 0 else {
            throw .invalidKey(OpenSSLErrorQueue.describe("key has no signature size"))
        }
        var signature = [UInt8](repeating: 0, count: length)
        let status = message.withUnsafeBufferPointer { input in
            signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard status == 1 else {
            throw .operationFailed(OpenSSLErrorQueue.describe("EVP_DigestSign failed"))
        }
        signature.removeSubrange(length...)
        return signature
    }

    /// True only for a valid signature. Every other outcome, including malformed input, is
    /// false: callers treat "cannot verify" and "does not verify" the same way.
    static func verify(_ signature: [UInt8], message: [UInt8], key: OpaquePointer, rsaPadding: RSAPadding?) -> Bool {
        defer { OpenSSLErrorQueue.clear() }
        guard !signature.isEmpty, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, EVP_sha256(), nil, key) == 1,
              applyPadding(rsaPadding, to: keyContext)
        else { return false }
        let status = signature.withUnsafeBufferPointer { signaturePointer in
            message.withUnsafeBufferPointer { messagePointer in
                EVP_DigestVerify(
                    context, signaturePointer.baseAddress, signaturePointer.count,
                    messagePointer.baseAddress, messagePointer.count
                )
            }
        }
        return status == 1
    }

    private static func applyPadding(_ padding: RSAPadding?, to keyContext: OpaquePointer?) -> Bool {
        switch padding {
        case nil:
            return true
        case .pkcs1v15:
            // PKCS#1 v1.5 is OpenSSL's default for RSA keys, but set it explicitly so the
            // algorithm never depends on a library default.
            guard let keyContext else { return false }
            return EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1
        }
    }
}
