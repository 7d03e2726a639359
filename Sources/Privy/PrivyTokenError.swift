import Foundation

/// Why a Privy token was refused. Every case but `keysUnavailable` means "the token is not
/// acceptable" (answer 401); `keysUnavailable` means "we could not check" (answer 503, never
/// accept). Descriptions name the failed check for logs; they never contain the token, and
/// token-supplied strings (alg, typ, kid, iss) are shortened and stripped of control
/// characters first, so a hostile token cannot forge log lines.
public enum PrivyTokenError: Error, Equatable, CustomStringConvertible {
    /// Not a compact JWS, bad base64url or JSON, or a required claim missing or mistyped
    /// (the associated text names it).
    case malformed(String)
    /// Header "alg" is anything but "ES256" ("" when absent or not a string).
    case unsupportedAlgorithm(String)
    /// Header "typ" is anything but "JWT" ("" when absent): Privy's access tokens always carry it.
    case invalidType(String)
    /// No key with this "kid" (nil: the token names no kid and the source needs one).
    case unknownKey(String?)
    /// The signature does not verify, including DER-encoded or wrong-length signatures.
    case badSignature
    /// "iss" is not "privy.io".
    case wrongIssuer(String)
    /// "aud" (string or array) does not contain our app id.
    case wrongAudience
    /// "exp" has passed (beyond the leeway).
    case expired
    /// "nbf" is in the future (beyond the leeway).
    case notYetValid
    /// "iat" is in the future (beyond the leeway).
    case issuedInFuture
    /// "sub" is missing or not "did:privy:<id>".
    case invalidSubject
    /// Privy's key set could not be fetched and no usable copy is cached.
    case keysUnavailable(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed token: \(LogSafe.text(reason))"
        case .unsupportedAlgorithm(let alg):
            alg.isEmpty ? "token names no algorithm (ES256 required)"
                : "unsupported algorithm \(LogSafe.quoted(alg)) (ES256 required)"
        case .invalidType(let typ):
            typ.isEmpty ? "token names no type (typ JWT required)" : "token type \(LogSafe.quoted(typ)) is not JWT"
        case .unknownKey(let kid?): "no Privy verification key with kid \(LogSafe.quoted(kid))"
        case .unknownKey(nil): "token names no key id"
        case .badSignature: "signature does not verify"
        case .wrongIssuer(let issuer): "issuer \(LogSafe.quoted(issuer)) is not privy.io"
        case .wrongAudience: "audience does not include this app"
        case .expired: "token expired"
        case .notYetValid: "token not valid yet (nbf in the future)"
        case .issuedInFuture: "token issued in the future (iat)"
        case .invalidSubject: "subject is not a did:privy user id"
        case .keysUnavailable(let reason): "Privy verification keys unavailable: \(LogSafe.text(reason))"
        }
    }
}

/// Makes text that may come from a token safe to put in a log line.
enum LogSafe {
    static let maximumLength = 64

    /// Printable ASCII only (others become "?"), cut to `maximumLength` characters.
    static func text(_ value: String) -> String {
        var output = ""
        for scalar in value.unicodeScalars.prefix(maximumLength) {
            output.unicodeScalars.append((0x20...0x7E).contains(scalar.value) ? scalar : "?")
        }
        return value.unicodeScalars.count > maximumLength ? output + "..." : output
    }

    static func quoted(_ value: String) -> String {
        "\"" + text(value).replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
