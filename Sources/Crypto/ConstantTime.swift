import COpenSSL

/// Compares secrets (MACs, token hashes) in time that does not depend on where the first
/// differing byte is, so a remote caller cannot learn a secret byte by byte from timing.
/// Lengths are not secret: different lengths return false immediately.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    return a.withUnsafeBytes { left in
        b.withUnsafeBytes { right in
            CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
        }
    }
}
