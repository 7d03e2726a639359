import Crypto
import Foundation
import WebRules

/// A stand-in for Privy when developing on one machine: mints tokens in exactly Privy's
/// format (ES256, typ JWT, iss "privy.io", aud app id, sub did:privy:..., sid, iat, exp)
/// with a key generated at start, so the real `PrivyTokenVerifier` checks them unchanged.
/// Refuses to exist unless the server is only reachable through loopback: anyone who can
/// reach it can log in as any email.
public final class DevelopmentLogin: Sendable {
    /// The "aud" of development tokens; configure the verifier with it.
    public static let appID = "development-app"
    static let keyID = "development"
    /// RFC 5321 §4.5.3.1.3 limits a path to 256 octets, so an address to 254.
    static let maximumEmailLength = 254
    /// Longer lifetimes are surely a mistake (and would overflow the Int claims if huge).
    static let maximumLifetime: TimeInterval = 366 * 24 * 3600

    private let signingKey: P256PrivateKey
    public let keySource: StaticPrivyKey

    /// `serverBaseURL` is this server's public base URL; its host must be localhost,
    /// 127.0.0.0/8 or [::1].
    public init(serverBaseURL: String) throws(DevelopmentLoginError) {
        guard AbsoluteURL(serverBaseURL)?.isLoopback == true else {
            throw DevelopmentLoginError(.notLoopback, "refused: the server base URL is not a loopback address (localhost, 127.0.0.0/8, [::1])")
        }
        do {
            signingKey = try P256PrivateKey.generate()
        } catch {
            throw DevelopmentLoginError(.cryptoFailure, "cannot generate a P-256 key: \(error)")
        }
        keySource = StaticPrivyKey(key: signingKey.publicKey)
    }

    /// A token for `email`, valid from now for `lifetime` seconds. The same email (any
    /// letter case) always gets the same user id within and across runs.
    public func issueToken(email: String, lifetime: TimeInterval = 3600) throws(DevelopmentLoginError) -> String {
        guard email.contains("@"), email.utf8.count <= Self.maximumEmailLength else {
            throw DevelopmentLoginError(.invalidRequest, "not an email address (needs \"@\", at most \(Self.maximumEmailLength) bytes)")
        }
        guard lifetime > 0, lifetime <= Self.maximumLifetime else {
            throw DevelopmentLoginError(.invalidRequest, "token lifetime must be between 0 and \(Int(Self.maximumLifetime)) seconds")
        }
        let now = Date().timeIntervalSince1970.rounded(.down)
        let header: JSONObject = ["alg": "ES256", "typ": "JWT", "kid": Self.keyID]
        let claims: JSONObject = [
            "iss": PrivyTokenVerifier.issuer,
            "aud": Self.appID,
            "sub": Self.userID(email: email),
            "sid": SecureRandom.token(byteCount: 16),
            "iat": Int(now),
            "exp": Int(now + lifetime.rounded(.up)),
        ]
        do {
            return try CompactJWS.sign(header: header, claims: claims, signer: signingKey.signES256)
        } catch {
            throw DevelopmentLoginError(.cryptoFailure, "cannot sign token: \(error)")
        }
    }

    /// "did:privy:dev-" + first 24 hex digits of SHA-256(lowercased email): stable, and
    /// visibly not a real Privy id.
    static func userID(email: String) -> String {
        PrivyTokenVerifier.subjectPrefix + "dev-" + SHA256.hexHash(email.lowercased()).prefix(24)
    }
}
