import Crypto
import Foundation
import Privy
import Testing

/// Input that is not a usable JWS at all, and a valid JWS that is not a Privy token.
@Suite struct MalformedTokenTests {
    @Test(arguments: [
        "",
        "a.b",
        "a.b.c.d",
        "!!!.@@@.###",
        "abc.def.ghi",
        "eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.AAAA",   // payload "not json"
        "eyJhbGciOiJFUzI1NiJ9=.e30.AAAA",          // padding is not base64url
        String(repeating: "a", count: 20 * 1024),
        String(repeating: "a", count: 10 * 1024) + "." + String(repeating: "b", count: 10 * 1024) + ".c",
    ])
    func garbage(_ token: String) throws {
        let tokens = try PrivyTestTokens()
        guard case .malformed = verificationError(tokens.verifier(), token) else {
            Issue.record("expected .malformed for a \(token.utf8.count)-byte input")
            return
        }
    }

    /// A JSON array header parses as JSON but is not a JOSE header.
    @Test func nonObjectHeader() throws {
        let tokens = try PrivyTestTokens()
        let token = Base64URL.encode("[1]") + "." + Base64URL.encode("{}") + ".AAAA"
        guard case .malformed = verificationError(tokens.verifier(), token) else {
            Issue.record("expected .malformed")
            return
        }
    }

    /// RFC 7515 Appendix A.3: a genuine ES256 token whose signature verifies, but which
    /// Privy did not issue: its header has no typ JWT, so it is rejected before its claims
    /// are read (an issuer other than privy.io is refused too: VerifierClaimTests).
    @Test func rfc7515AppendixA3IsNotAPrivyToken() throws {
        let token = "eyJhbGciOiJFUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
        let key = try P256PublicKey(
            x: #require(Base64URL.decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")),
            y: #require(Base64URL.decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"))
        )
        let verifier = PrivyTokenVerifier(appID: PrivyTestTokens.appID, keys: StaticPrivyKey(key: key), clock: { PrivyTestTokens.now })
        #expect(key.verifyES256(rawSignature: try #require(Base64URL.decode(String(token.split(separator: ".")[2]))),
                                message: Array(token.split(separator: ".").prefix(2).joined(separator: ".").utf8)))
        #expect(verificationError(verifier, token) == .invalidType(""))
    }
}
