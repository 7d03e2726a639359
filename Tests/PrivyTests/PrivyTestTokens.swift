import Crypto
import Foundation
import Privy

/// Mints tokens in Privy's format with a fresh P-256 key, and lets tests replace any header
/// field or claim, or assemble tokens with arbitrary segments.
struct PrivyTestTokens {
    static let appID = "test-app-id"
    /// Fixed "now" for verifier clocks, so time checks are exact.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let userID = "did:privy:cm3np4u9j00ab12cdef3gh4ij"
    static let sessionID = "session-42"

    let key: P256PrivateKey
    let kid: String

    init(kid: String = "kid-1") throws {
        self.key = try P256PrivateKey.generate()
        self.kid = kid
    }

    var header: JSONObject {
        ["alg": "ES256", "typ": "JWT", "kid": kid]
    }

    /// What Privy puts in an access token, issued at `issuedAt`, valid for `lifetime`.
    func claims(issuedAt: Date = Self.now, lifetime: TimeInterval = 3600) -> JSONObject {
        let iat = Int(issuedAt.timeIntervalSince1970)
        return [
            "sid": Self.sessionID,
            "sub": Self.userID,
            "iss": "privy.io",
            "aud": Self.appID,
            "iat": iat,
            "exp": iat + Int(lifetime),
        ]
    }

    /// Signs `header` and `claims` (defaults: a good Privy token) with this key.
    func token(header: JSONObject? = nil, claims: JSONObject? = nil) throws -> String {
        try CompactJWS.sign(header: header ?? self.header, claims: claims ?? self.claims(), signer: key.signES256)
    }

    /// A good token with some claims changed (set a value to nil to remove the claim).
    func token(changing changes: [String: Any?]) throws -> String {
        var claims = self.claims()
        for (name, value) in changes {
            claims[name] = value
        }
        return try token(claims: claims)
    }

    /// A good token with some header fields changed (nil removes the field).
    func token(changingHeader changes: [String: Any?]) throws -> String {
        var header = self.header
        for (name, value) in changes {
            header[name] = value
        }
        return try token(header: header)
    }

    var keySource: StaticPrivyKey {
        StaticPrivyKey(key: key.publicKey)
    }

    func verifier(keys: (any PrivyKeySource)? = nil, leeway: TimeInterval = 30, now: Date = Self.now) -> PrivyTokenVerifier {
        PrivyTokenVerifier(appID: Self.appID, keys: keys ?? keySource, leeway: leeway, clock: { now })
    }

    /// This key as a JWK (RFC 7517 §4, RFC 7518 §6.2.1).
    var jwk: JSONObject {
        [
            "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": kid,
            "x": Base64URL.encode(key.publicKey.x), "y": Base64URL.encode(key.publicKey.y),
        ]
    }

    /// "<b64 header>.<b64 claims>.<b64 signature>" with no signing at all.
    static func assemble(header: JSONObject, claims: JSONObject, signature: [UInt8]) throws -> String {
        try encodeJSON(header) + "." + encodeJSON(claims) + "." + Base64URL.encode(signature)
    }

    static func encodeJSON(_ object: JSONObject) throws -> String {
        Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }

    /// The DER ECDSA-Sig-Value (RFC 3279 §2.2.3) for a raw r || s: what a careless signer
    /// might put in a JWS instead of the raw form RFC 7518 §3.4 requires.
    static func der(fromRaw raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(raw[0..<32]) + integer(raw[32..<64])
        return [0x30, UInt8(body.count)] + body
    }
}

/// The error `verify` threw, or nil if it accepted the token.
func verificationError(_ verifier: PrivyTokenVerifier, _ token: String) -> PrivyTokenError? {
    do {
        _ = try verifier.verify(token)
        return nil
    } catch {
        return error
    }
}

/// A clock tests can move forward; safe to read from any thread.
final class TestClock: @unchecked Sendable {
    // @unchecked: `current` is only accessed with `lock` held.
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = PrivyTestTokens.now) {
        current = start
    }

    var now: Date {
        lock.withLock { current }
    }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }

    var function: @Sendable () -> Date {
        { self.now }
    }
}
