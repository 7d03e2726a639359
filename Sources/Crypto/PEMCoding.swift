import COpenSSL

/// Moves keys between EVP_PKEY and PEM text through memory BIOs.
enum PEMCoding {
    /// Parses a private key: PKCS#8 "PRIVATE KEY" or a traditional form such as PKCS#1
    /// "RSA PRIVATE KEY" / SEC 1 "EC PRIVATE KEY". Returns an owned EVP_PKEY.
    static func readPrivateKey(_ pem: String) throws(CryptoError) -> OpaquePointer {
        let key = withReadBIO(pem) { bio in
            // Encrypted PEM is not supported. Without a callback OpenSSL would prompt for a
            // passphrase on the controlling terminal, which must never happen in a server.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let key else {
            throw .invalidKey(OpenSSLErrorQueue.describe("unreadable private key PEM"))
        }
        return key
    }

    /// Parses a public key: SPKI "PUBLIC KEY", or a type-specific structure such as PKCS#1
    /// "RSA PUBLIC KEY". `keyType` ("RSA", "EC") restricts which decoders OpenSSL tries.
    static func readPublicKey(_ pem: String, keyType: String) throws(CryptoError) -> OpaquePointer {
        let key = withReadBIO(pem) { bio -> OpaquePointer? in
            var key: OpaquePointer?
            guard let decoder = OSSL_DECODER_CTX_new_for_pkey(
                &key, "PEM", nil, keyType, copenssl_selection_public_key(), nil, nil
            ) else { return nil }
            defer { OSSL_DECODER_CTX_free(decoder) }
            guard OSSL_DECODER_from_bio(decoder, bio) == 1 else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
        guard let key else {
            throw .invalidKey(OpenSSLErrorQueue.describe("unreadable \(keyType) public key PEM"))
        }
        return key
    }

    /// PKCS#8 "BEGIN PRIVATE KEY", unencrypted.
    static func privateKeyPEM(_ key: OpaquePointer) -> String {
        write("private key") { bio in
            PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil)
        }
    }

    /// SPKI "BEGIN PUBLIC KEY" (RFC 5280 §4.1.2.7), the form most JOSE tooling expects.
    static func publicKeyPEM(_ key: OpaquePointer) -> String {
        write("public key") { bio in
            PEM_write_bio_PUBKEY(bio, key)
        }
    }

    private static func withReadBIO(_ pem: String, _ body: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        let bytes = Array(pem.utf8)
        guard !bytes.isEmpty, bytes.count <= Int(Int32.max) else { return nil }
        return bytes.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    private static func write(_ what: String, _ body: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            fatalError(OpenSSLErrorQueue.describe("cannot allocate BIO for \(what) PEM"))
        }
        defer { BIO_free(bio) }
        // Encoding a key we already hold in memory fails only on allocation failure; the
        // `pem` properties are non-throwing, so treat that as fatal rather than return "".
        guard body(bio) == 1 else {
            fatalError(OpenSSLErrorQueue.describe("cannot encode \(what) as PEM"))
        }
        // BIO_get_mem_data is a macro over BIO_ctrl(BIO_CTRL_INFO) that Swift cannot import.
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard length > 0, let data else {
            fatalError(OpenSSLErrorQueue.describe("empty \(what) PEM"))
        }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
