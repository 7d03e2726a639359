/// Every failure the Crypto module reports. The associated text is for logs only: it may
/// include OpenSSL's own error strings, never key material.
public enum CryptoError: Error, Equatable {
    /// Key material could not be parsed, is the wrong type or curve, or fails validation.
    case invalidKey(String)
    /// Caller-supplied data is malformed (bad length, bad encoding, not JSON, ...).
    case invalidInput(String)
    /// OpenSSL refused an operation on well-formed input (allocation failure, or an
    /// authentication failure such as a tampered AES-GCM ciphertext).
    case operationFailed(String)
}
