import Foundation

/// A decoded JSON object as produced by JSONSerialization: values are String, NSNumber
/// (read with `as? Int`, `as? Double`, `as? Bool`), [Any], [String: Any] or NSNull.
public typealias JSONObject = [String: Any]

/// A JWS in Compact Serialization (RFC 7515 §7.1): BASE64URL(header) "." BASE64URL(payload)
/// "." BASE64URL(signature). Parsing checks structure only; it never checks a signature.
/// Callers pick the key and algorithm themselves and must not trust `alg` blindly
/// (RFC 8725 §3.1).
public struct CompactJWS: Sendable {
    /// Longest token accepted, in bytes. Tokens arrive in headers from the network; the cap
    /// bounds decoding and JSON parsing work before anything is verified.
    public static let maximumLength = 16 * 1024

    /// Decoded protected header (JSON text).
    public let headerJSON: [UInt8]
    /// Decoded payload (JSON text).
    public let payloadJSON: [UInt8]
    /// Decoded signature bytes (for ES256, the raw 64-byte r || s).
    public let signature: [UInt8]
    /// ASCII of "<b64 header>.<b64 payload>", exactly what was signed (RFC 7515 §5.2 step 8).
    public let signingInput: [UInt8]

    /// Header "alg", if present and a string.
    public let alg: String?
    /// Header "kid", if present and a string.
    public let kid: String?
    /// Header "typ", if present and a string.
    public let typ: String?

    /// Exactly three segments, each strict base64url; header and payload must be JSON
    /// objects; at most `maximumLength` bytes.
    public init(parsing token: String) throws(CryptoError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumLength else {
            throw .invalidInput("JWS longer than \(Self.maximumLength) bytes")
        }
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else {
            throw .invalidInput("JWS must have exactly 3 segments, found \(segments.count)")
        }
        guard let headerJSON = Base64URL.decode(utf8: segments[0]),
              let payloadJSON = Base64URL.decode(utf8: segments[1]),
              let signature = Base64URL.decode(utf8: segments[2])
        else {
            throw .invalidInput("JWS segment is not base64url")
        }
        let header = try Self.object(headerJSON, "header")
        _ = try Self.object(payloadJSON, "payload")
        self.headerJSON = headerJSON
        self.payloadJSON = payloadJSON
        self.signature = signature
        self.signingInput = Array(bytes[..<segments[1].endIndex])
        self.alg = header["alg"] as? String
        self.kid = header["kid"] as? String
        self.typ = header["typ"] as? String
    }

    /// The protected header as a JSON object.
    public func header() throws(CryptoError) -> JSONObject {
        try Self.object(headerJSON, "header")
    }

    /// The payload as a JSON object: JWT claims such as iss, aud (string or array), exp,
    /// nbf, iat (numbers; read with `as? Int` or `as? Double`).
    public func claims() throws(CryptoError) -> JSONObject {
        try Self.object(payloadJSON, "payload")
    }

    /// Serializes header and claims as JSON with sorted keys and unescaped '/', signs the
    /// ASCII signing input with `signer` (e.g. `privateKey.signRS256`), and returns the
    /// compact token. The header must already name the algorithm `signer` implements.
    public static func sign(
        header: JSONObject,
        claims: JSONObject,
        signer: ([UInt8]) throws(CryptoError) -> [UInt8]
    ) throws(CryptoError) -> String {
        let signingInput = try Base64URL.encode(json(header, "header")) + "." + Base64URL.encode(json(claims, "claims"))
        let signature = try signer(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    private static func object(_ bytes: [UInt8], _ what: String) throws(CryptoError) -> JSONObject {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw .invalidInput("JWS \(what) is not valid JSON")
        }
        guard let object = value as? JSONObject else {
            throw .invalidInput("JWS \(what) is not a JSON object")
        }
        return object
    }

    /// The object as JSON with its members in code point order, so the same claims always give
    /// the same bytes. The top level is written here: JSONSerialization's `.sortedKeys` compares
    /// keys with locale-aware collation (ICU), which was a sixth of the cost of issuing a token.
    /// Each value goes through JSONSerialization, so escaping and numbers stay its own.
    private static func json(_ object: JSONObject, _ what: String) throws(CryptoError) -> [UInt8] {
        // isValidJSONObject first: serializing an unsupported value is not a catchable error
        // on every platform.
        guard JSONSerialization.isValidJSONObject(object) else {
            throw .invalidInput("JWS \(what) contains values that are not JSON")
        }
        var output: [UInt8] = [UInt8(ascii: "{")]
        do {
            for (offset, key) in object.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }).enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                output += try fragment(key)
                output.append(UInt8(ascii: ":"))
                output += try fragment(object[key]!)
            }
        } catch {
            throw .invalidInput("JWS \(what) cannot be serialized")
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    private static func fragment(_ value: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]))
    }
}
