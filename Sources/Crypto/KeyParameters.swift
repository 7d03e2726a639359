import COpenSSL

/// Builds an EVP_PKEY from raw components (JWK n/e, EC x/y) with OSSL_PARAM_BLD and
/// EVP_PKEY_fromdata, the OpenSSL 3 replacement for the deprecated RSA_/EC_KEY setters.
///
/// OSSL_PARAM_BLD keeps *pointers* to names, strings and BIGNUMs until
/// OSSL_PARAM_BLD_to_param copies them, so this class owns C copies of everything it pushes
/// (a Swift String bridged to `const char *` would dangle right after the call).
final class KeyParameterBuilder {
    private let builder: OpaquePointer
    private var cStrings: [UnsafeMutablePointer<CChar>] = []
    private var bigNumbers: [OpaquePointer] = []
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var failure: String?

    init() throws(CryptoError) {
        guard let builder = OSSL_PARAM_BLD_new() else {
            throw .operationFailed(OpenSSLErrorQueue.describe("OSSL_PARAM_BLD_new failed"))
        }
        self.builder = builder
    }

    deinit {
        // BN_clear_free: components may be secret in future callers; zeroing is cheap.
        bigNumbers.forEach { BN_clear_free($0) }
        cStrings.forEach { $0.deallocate() }
        buffers.forEach { $0.deallocate() }
        OSSL_PARAM_BLD_free(builder)
    }

    /// An unsigned big-endian integer parameter (e.g. OSSL_PKEY_PARAM_RSA_N).
    func pushBigNumber(_ name: String, bigEndian bytes: [UInt8]) {
        guard failure == nil else { return }
        let number = bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        guard let number else {
            failure = "BN_bin2bn failed for \(name)"
            return
        }
        bigNumbers.append(number)
        if OSSL_PARAM_BLD_push_BN(builder, own(name), number) != 1 {
            failure = "cannot push \(name)"
        }
    }

    /// A UTF-8 string parameter (e.g. OSSL_PKEY_PARAM_GROUP_NAME).
    func pushUTF8String(_ name: String, _ value: String) {
        guard failure == nil else { return }
        if OSSL_PARAM_BLD_push_utf8_string(builder, own(name), own(value), 0) != 1 {
            failure = "cannot push \(name)"
        }
    }

    /// An octet string parameter (e.g. OSSL_PKEY_PARAM_PUB_KEY).
    func pushOctetString(_ name: String, _ value: [UInt8]) {
        guard failure == nil else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(value.count, 1), alignment: 1)
        buffers.append(buffer)
        buffer.copyBytes(from: value)
        if OSSL_PARAM_BLD_push_octet_string(builder, own(name), buffer.baseAddress, value.count) != 1 {
            failure = "cannot push \(name)"
        }
    }

    /// Creates the key. `selection` is copenssl_selection_public_key() or ..._keypair().
    /// Returns an owned EVP_PKEY; the caller frees it.
    func makeKey(type keyType: String, selection: Int32) throws(CryptoError) -> OpaquePointer {
        if let failure {
            throw .invalidKey(OpenSSLErrorQueue.describe(failure))
        }
        guard let parameters = OSSL_PARAM_BLD_to_param(builder) else {
            throw .operationFailed(OpenSSLErrorQueue.describe("OSSL_PARAM_BLD_to_param failed"))
        }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, keyType, nil) else {
            throw .operationFailed(OpenSSLErrorQueue.describe("no \(keyType) key manager"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
              EVP_PKEY_fromdata(context, &key, selection, parameters) == 1,
              let key
        else {
            throw .invalidKey(OpenSSLErrorQueue.describe("\(keyType) key components rejected"))
        }
        return key
    }

    /// A NUL-terminated copy of `string` that lives as long as the builder.
    private func own(_ string: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        copy.initialize(from: utf8, count: utf8.count)
        cStrings.append(copy)
        return copy
    }
}

/// Reads key components back out of an EVP_PKEY.
enum KeyComponents {
    /// A BIGNUM parameter as unsigned big-endian bytes without leading zeros (the JWK form,
    /// RFC 7518 §6.3.1.1), left-padded to `minimumLength` when given (EC coordinates,
    /// RFC 7518 §6.2.1.2 require the full field size).
    static func bigEndian(_ key: OpaquePointer, _ name: String, minimumLength: Int = 0) -> [UInt8]? {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { BN_free(number) }
        // BN_num_bytes is a macro; this is its definition.
        let length = max((Int(BN_num_bits(number)) + 7) / 8, minimumLength)
        var bytes = [UInt8](repeating: 0, count: length)
        let written = bytes.withUnsafeMutableBufferPointer {
            BN_bn2binpad(number, $0.baseAddress, Int32(length))
        }
        return written == Int32(length) ? bytes : nil
    }

    /// Runs OpenSSL's own validation of a key: `EVP_PKEY_public_check` for public keys (RSA:
    /// odd modulus, sane exponent, not prime; EC: point on the curve and in the subgroup)
    /// or `EVP_PKEY_pairwise_check` for private keys (private half matches public half).
    static func validate(_ key: OpaquePointer, privateKey: Bool) throws(CryptoError) {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
            throw .operationFailed(OpenSSLErrorQueue.describe("EVP_PKEY_CTX_new_from_pkey failed"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        let status = privateKey ? EVP_PKEY_pairwise_check(context) : EVP_PKEY_public_check(context)
        guard status == 1 else {
            throw .invalidKey(OpenSSLErrorQueue.describe("key failed validation"))
        }
    }

    /// Generates a key with an EVP_PKEY_CTX that `configure` prepares after keygen_init.
    static func generate(
        type keyType: Int32,
        configure: (OpaquePointer) -> Int32
    ) throws(CryptoError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_id(keyType, nil) else {
            throw .operationFailed(OpenSSLErrorQueue.describe("EVP_PKEY_CTX_new_id failed"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              configure(context) == 1,
              EVP_PKEY_keygen(context, &key) == 1,
              let key
        else {
            throw .operationFailed(OpenSSLErrorQueue.describe("key generation failed"))
        }
        return key
    }
}
