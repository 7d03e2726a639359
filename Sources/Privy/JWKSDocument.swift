import Crypto
import Foundation

/// Parses a JSON Web Key Set (RFC 7517 §5) into the ES256 verification keys it holds.
enum JWKSDocument {
    /// kid -> key. Entries that are not usable ES256 verification keys are skipped, not
    /// fatal, so one odd entry (another key type, an encryption key) cannot take down the
    /// set; a set with no usable key at all is an error, so it never replaces a good cache.
    static func keys(from body: [UInt8]) throws(JWKSError) -> [String: P256PublicKey] {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw JWKSError("key set is not valid JSON")
        }
        guard let object = document as? JSONObject, let entries = object["keys"] as? [Any] else {
            throw JWKSError("key set has no \"keys\" array")
        }
        var keys: [String: P256PublicKey] = [:]
        for case let entry as JSONObject in entries {
            guard let (kid, key) = es256Key(entry), keys[kid] == nil else { continue }
            keys[kid] = key
        }
        guard !keys.isEmpty else {
            throw JWKSError("key set has no usable ES256 key")
        }
        return keys
    }

    /// One JWK, if it is an EC P-256 key (RFC 7518 §6.2.1) meant for ES256 signatures.
    private static func es256Key(_ jwk: JSONObject) -> (String, P256PublicKey)? {
        guard jwk["kty"] as? String == "EC", jwk["crv"] as? String == "P-256",
              let kid = jwk["kid"] as? String, !kid.isEmpty,
              let x = (jwk["x"] as? String).flatMap(Base64URL.decode),
              let y = (jwk["y"] as? String).flatMap(Base64URL.decode)
        else { return nil }
        // "alg" (RFC 7517 §4.4) and "use" (§4.2) are optional; when present they must allow
        // ES256 signatures, so a key published for another purpose is never used here.
        if let alg = jwk["alg"], alg as? String != "ES256" { return nil }
        if let use = jwk["use"], use as? String != "sig" { return nil }
        // P256PublicKey(x:y:) checks lengths and that the point is on the curve.
        guard let key = try? P256PublicKey(x: x, y: y) else { return nil }
        return (kid, key)
    }
}

/// Why a key set could not be obtained; becomes `PrivyTokenError.keysUnavailable`.
struct JWKSError: Error {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
