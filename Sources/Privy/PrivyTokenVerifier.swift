import Crypto
import Foundation

/// Verifies Privy access tokens: ES256 JWS (RFC 7515, RFC 7518 §3.4) carrying a JWT
/// (RFC 7519) issued by "privy.io" to our app id.
///
/// Order matters: structure, then the header (alg, typ) before any key is looked up, then
/// the signature, and only then the claims, so nothing an attacker wrote is believed before
/// the signature says Privy wrote it (RFC 8725 §3.1, §3.11).
public struct PrivyTokenVerifier: Sendable {
    /// Privy's "iss" is this bare string, not a URL.
    static let issuer = "privy.io"
    static let subjectPrefix = "did:privy:"
    /// Clock skew tolerance is capped: a larger leeway would quietly extend every token.
    static let maximumLeeway: TimeInterval = 60

    private let appID: String
    private let keys: any PrivyKeySource
    private let leeway: TimeInterval
    private let clock: @Sendable () -> Date

    /// `leeway` (clock skew allowed on exp, nbf and iat, RFC 7519 §4.1.4) is clamped to
    /// 0...60 seconds.
    public init(appID: String, keys: any PrivyKeySource, leeway: TimeInterval = 30, clock: @escaping @Sendable () -> Date = Date.init) {
        self.appID = appID
        self.keys = keys
        self.leeway = leeway.isNaN ? 0 : min(max(leeway, 0), Self.maximumLeeway)
        self.clock = clock
    }

    public func verify(_ token: String) throws(PrivyTokenError) -> PrivyIdentity {
        let jws = try Self.parse(token)
        try checkHeader(jws)
        let key = try keys.key(for: jws.kid)
        // verifyES256 accepts only the raw 64-byte r || s (RFC 7518 §3.4): DER or any
        // other length fails here.
        guard key.verifyES256(rawSignature: jws.signature, message: jws.signingInput) else {
            throw .badSignature
        }
        let claims: JSONObject
        do {
            claims = try jws.claims()
        } catch {
            throw .malformed("payload is not a JSON object")
        }
        return try checkClaims(ClaimReader(claims: claims))
    }

    private static func parse(_ token: String) throws(PrivyTokenError) -> CompactJWS {
        do {
            return try CompactJWS(parsing: token)
        } catch {
            // CryptoError's text describes the structure only, never the token content.
            switch error {
            case .invalidInput(let reason), .invalidKey(let reason), .operationFailed(let reason):
                throw .malformed(reason)
            }
        }
    }

    private func checkHeader(_ jws: CompactJWS) throws(PrivyTokenError) {
        // RFC 7515 §4.1.1 / RFC 8725 §3.1: exactly the one algorithm Privy uses; "none",
        // HS256 (key confusion) and RS256 never reach a key lookup.
        guard jws.alg == "ES256" else {
            throw .unsupportedAlgorithm(jws.alg ?? "")
        }
        // Privy's access tokens always carry "typ": "JWT" (spec digest; Privy's own verifier
        // requires it), so a token without it is not one of them (RFC 8725 §3.11: explicit
        // typing keeps other kinds of JWT apart). RFC 7519 §5.1: media type names compare
        // case-insensitively; other types such as "at+jwt" are different token kinds.
        if let typ = jws.typ {
            guard typ.lowercased() == "jwt" else { throw .invalidType(typ) }
        } else if let header = try? jws.header(), header["typ"] != nil {
            throw .invalidType("(not a string)")
        } else {
            throw .invalidType("")
        }
    }

    private func checkClaims(_ claims: ClaimReader) throws(PrivyTokenError) -> PrivyIdentity {
        // RFC 7519 §4.1.1
        guard let issuer = try claims.string("iss") else {
            throw .malformed("missing claim \"iss\"")
        }
        guard issuer == Self.issuer else { throw .wrongIssuer(issuer) }

        // RFC 7519 §4.1.3: we must be among the audiences. An empty configured app id
        // matches nothing.
        guard !appID.isEmpty, try claims.audiences().contains(appID) else {
            throw .wrongAudience
        }

        let now = clock()
        // RFC 7519 §4.1.4: reject at or after exp (plus leeway).
        let expiresAt = try claims.requiredDate("exp")
        guard now.timeIntervalSince(expiresAt) < leeway else { throw .expired }
        // RFC 7519 §4.1.5: not before nbf (minus leeway).
        if let notBefore = try claims.date("nbf"), notBefore.timeIntervalSince(now) > leeway {
            throw .notYetValid
        }
        // RFC 7519 §4.1.6: Privy always sets iat; one in the future means a wrong clock or
        // a forged token.
        let issuedAt = try claims.requiredDate("iat")
        guard issuedAt.timeIntervalSince(now) <= leeway else { throw .issuedInFuture }

        // RFC 7519 §4.1.2: Privy's user id, "did:privy:<id>".
        guard let subject = try? claims.string("sub"), Self.isPrivyDID(subject) else {
            throw .invalidSubject
        }

        // Privy's session id; informational, so a non-string is dropped rather than fatal.
        let sessionID = try? claims.string("sid")

        return PrivyIdentity(
            userID: subject,
            sessionID: sessionID ?? nil,
            appID: appID,
            issuedAt: issuedAt,
            expiresAt: expiresAt
        )
    }

    /// "did:privy:" then 1...200 visible ASCII characters. The id becomes a database key and
    /// a URL path segment, so even a signed token may not smuggle spaces or control bytes
    /// into it. Compared as bytes: String.hasPrefix follows Unicode equivalence.
    static func isPrivyDID(_ subject: String) -> Bool {
        let bytes = Array(subject.utf8)
        let prefix = Array(subjectPrefix.utf8)
        guard bytes.starts(with: prefix) else { return false }
        let rest = bytes.dropFirst(prefix.count)
        return (1...200).contains(rest.count) && rest.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
