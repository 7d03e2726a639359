import COpenSSL

/// HMAC-SHA-256 (RFC 2104, FIPS 198-1) through OpenSSL's one-shot EVP_Q_mac.
public enum HMACSHA256 {
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: SHA256.byteCount)
        var length = 0
        // A zero-length key is legal HMAC; hand OpenSSL a real pointer with length 0 because a
        // NULL key means "no key set" to the MAC provider.
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyPointer in
            message.withUnsafeBytes { messagePointer in
                mac.withUnsafeMutableBufferPointer { output in
                    EVP_Q_mac(
                        nil, "HMAC", nil, "SHA256", nil,
                        keyPointer.baseAddress, key.count,
                        messagePointer.baseAddress?.assumingMemoryBound(to: UInt8.self), messagePointer.count,
                        output.baseAddress, output.count, &length
                    ) != nil
                }
            }
        }
        // Only allocation failure or a broken OpenSSL install can get here; a zero MAC would
        // silently authenticate nothing, so stop instead.
        guard result, length == SHA256.byteCount else {
            fatalError(OpenSSLErrorQueue.describe("HMAC-SHA256 failed"))
        }
        return mac
    }
}
