import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP digest API.
public enum SHA256 {
    /// Size of a SHA-256 digest in bytes.
    public static let byteCount = 32

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // A digest over in-memory bytes can only fail if OpenSSL cannot allocate or its
        // provider is missing; continuing would hand callers a zero digest, so stop instead.
        guard status == 1, length == UInt32(byteCount) else {
            fatalError(OpenSSLErrorQueue.describe("SHA-256 failed"))
        }
        return digest
    }

    /// Hash of the string's UTF-8 bytes.
    public static func hash(_ string: String) -> [UInt8] {
        hash(Array(string.utf8))
    }

    /// Lowercase hex of the hash of the string's UTF-8 bytes (e.g. for storing token hashes).
    public static func hexHash(_ string: String) -> String {
        Hex.encode(hash(string))
    }
}
