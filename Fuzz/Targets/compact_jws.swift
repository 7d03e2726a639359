import Crypto
import Foundation

/// JWS Compact Serialization parsing (CompactJWS, RFC 7515 §7.1) and strict base64url
/// (Base64URL, RFC 4648 §5 / §3.5).
///
/// Properties: parsing never traps; a parsed token's header and claims re-parse; the signing
/// input is exactly the bytes before the second '.'; base64url has one text form per byte
/// string (decode(text) succeeds => encode(decoded) == text), so a token cannot be altered
/// without changing what it decodes to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = bytes.text

    if let decoded = Base64URL.decode(text) {
        Harness.require(Base64URL.encode(decoded) == text, "base64url is not canonical: \(text.prefix(80))")
    }
    Harness.require(Base64URL.decode(Base64URL.encode(bytes)) == bytes, "base64url round trip failed")

    guard let jws = try? CompactJWS(parsing: text) else { return 0 }
    Harness.require(text.utf8.count <= CompactJWS.maximumLength, "accepted a token over the length cap")
    let utf8 = Array(text.utf8)
    let dots = utf8.indices.filter { utf8[$0] == UInt8(ascii: ".") }
    Harness.require(dots.count == 2, "accepted \(dots.count) dots")
    Harness.require(jws.signingInput == Array(utf8[..<dots[1]]), "signing input is not the first two segments")
    guard let header = try? jws.header(), let claims = try? jws.claims() else {
        Harness.require(false, "parsed token whose header or claims do not re-parse")
        return 0
    }
    Harness.require(jws.alg == header["alg"] as? String && jws.kid == header["kid"] as? String
                    && jws.typ == header["typ"] as? String, "alg/kid/typ disagree with the header")
    // Signing what was parsed must not trap either (values JSONSerialization produced).
    if let token = try? CompactJWS.sign(header: header, claims: claims, signer: { $0.count > 0 ? [1, 2, 3] : [] }) {
        Harness.require((try? CompactJWS(parsing: token)) != nil || token.utf8.count > CompactJWS.maximumLength,
                        "a token we signed does not parse")
    }
    return 0
}
