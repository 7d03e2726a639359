import COpenSSL

/// Converts between the JWS ECDSA signature form and OpenSSL's.
///
/// JWS ES256 signatures are the raw 64-byte concatenation r || s, each a 32-byte big-endian
/// integer (RFC 7518 §3.4); OpenSSL produces and expects the DER ECDSA-Sig-Value
/// SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3).
enum ECDSASignatureEncoding {
    /// Bytes per integer for P-256.
    static let componentSize = 32

    /// DER for a raw r || s, or nil if `raw` is not exactly 64 bytes. Requiring the exact
    /// length is what makes a DER-encoded (or otherwise re-encoded) signature fail ES256.
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * componentSize else { return nil }
        defer { OpenSSLErrorQueue.clear() }
        let (r, s) = raw.withUnsafeBufferPointer { bytes in
            (BN_bin2bn(bytes.baseAddress, Int32(componentSize), nil),
             BN_bin2bn(bytes.baseAddress! + componentSize, Int32(componentSize), nil))
        }
        guard let r, let s, let signature = ECDSA_SIG_new() else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        defer { ECDSA_SIG_free(signature) }
        // ECDSA_SIG_set0 takes ownership of r and s only when it succeeds.
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }

    /// Raw r || s (each left-padded to 32 bytes) for a DER signature from OpenSSL.
    static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        defer { OpenSSLErrorQueue.clear() }
        let signature = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature else { return nil }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        guard let r, let s else { return nil }
        var raw = [UInt8](repeating: 0, count: 2 * componentSize)
        let ok = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(r, buffer.baseAddress, Int32(componentSize)) == Int32(componentSize)
                && BN_bn2binpad(s, buffer.baseAddress! + componentSize, Int32(componentSize)) == Int32(componentSize)
        }
        return ok ? raw : nil
    }
}
