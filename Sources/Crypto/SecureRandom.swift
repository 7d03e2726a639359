import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (seeded from the OS).
public enum SecureRandom {
    /// `count` random bytes. Terminates the process if the CSPRNG fails: every caller uses
    /// these bytes as secrets (tokens, nonces, keys), and predictable secrets are worse than
    /// a crash.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count")
        guard count > 0 else { return [] }
        precondition(count <= Int(Int32.max), "SecureRandom.bytes: count too large")
        var output = [UInt8](repeating: 0, count: count)
        let status = output.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else {
            fatalError(OpenSSLErrorQueue.describe("RAND_bytes failed"))
        }
        return output
    }

    /// An unguessable token: `byteCount` random bytes as unpadded base64url (URL and header
    /// safe). The default 32 bytes gives 256 bits of entropy, 43 characters.
    public static func token(byteCount: Int = 32) -> String {
        Base64URL.encode(bytes(byteCount))
    }
}
