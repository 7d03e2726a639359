import Crypto
import Foundation
import ServerLog
import Storage

/// Encrypts the Privy access tokens kept in `privy_access_token` columns: base64 of
/// AES-256-GCM nonce || ciphertext || tag under TOKEN_ENCRYPTION_KEY, so a database dump or
/// backup alone does not let anyone call the user's API.
struct TokenCipher: Sendable {
    private let key: [UInt8]

    init(key: [UInt8]) throws(PostgresSetupError) {
        guard key.count == AESGCM.keySize else { throw .invalidEncryptionKey }
        self.key = key
    }

    func seal(_ plaintext: String) throws(StoreError) -> String {
        do {
            return Data(try AESGCM.seal(Array(plaintext.utf8), key: key)).base64EncodedString()
        } catch {
            throw .unavailable("cannot encrypt the stored token")
        }
    }

    /// A value that does not open means the key changed or the row was tampered with; either
    /// way no request can succeed with it, and operators need to hear about it.
    func open(_ stored: String) throws(StoreError) -> String {
        guard let sealed = Data(base64Encoded: stored),
              let plaintext = try? AESGCM.open(Array(sealed), key: key)
        else {
            ServerLog.write(.error, "stored Privy token does not decrypt; was TOKEN_ENCRYPTION_KEY changed?")
            throw .unavailable("stored token cannot be decrypted")
        }
        return String(decoding: plaintext, as: UTF8.self)
    }
}
