import Crypto
import WebRules

/// Proof Key for Code Exchange, S256 only (RFC 7636; OAuth 2.1 §4.1.1 forbids "plain" here).
public enum PKCE {
    /// RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters.
    public static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && Base64URL.decode(challenge)?.count == 32
    }

    /// RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~].
    public static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count) && verifier.utf8.allSatisfy(PercentEncoding.isUnreserved)
    }

    /// RFC 7636 §4.6, compared in constant time so timing reveals nothing about the challenge.
    public static func verify(verifier: String, challenge: String) -> Bool {
        let computed = Array(Base64URL.encode(SHA256.hash(Array(verifier.utf8))).utf8)
        return constantTimeEquals(computed, Array(challenge.utf8))
    }
}
