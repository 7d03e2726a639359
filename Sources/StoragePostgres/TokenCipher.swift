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

    /// Nil when the value does not open: the key changed or the row was tampered with. No request
    /// can ever succeed with such a grant, and operators need to hear about it.
    func open(_ stored: String) -> String? {
        guard let sealed = Data(base64Encoded: stored),
              let plaintext = try? AESGCM.open(Array(sealed), key: key)
        else {
            ServerLog.write(.error, "stored Privy token does not decrypt; was TOKEN_ENCRYPTION_KEY changed?")
            return nil
        }
        return String(decoding: plaintext, as: UTF8.self)
    }
}
