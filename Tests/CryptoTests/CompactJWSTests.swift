import Crypto
import Testing

@Suite struct CompactJWSTests {
    @Test func parsesRFC7515Example() throws {
        let jws = try CompactJWS(parsing: RFC7515.rs256Token)
        #expect(jws.alg == "RS256")
        #expect(jws.kid == nil)
        #expect(jws.typ == nil)
        #expect(jws.headerJSON == Array(#"{"alg":"RS256"}"#.utf8))
        #expect(jws.signature.count == 256)
        #expect(jws.signingInput == Array(RFC7515.rs256Token.split(separator: ".").prefix(2).joined(separator: ".").utf8))

        let header = try jws.header()
        #expect(header["alg"] as? String == "RS256")

        // A.1 payload: {"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}
        let claims = try jws.claims()
        #expect(claims["iss"] as? String == "joe")
        #expect(claims["exp"] as? Int == 1_300_819_380)
        #expect(claims["http://example.com/is_root"] as? Bool == true)
    }

    @Test(arguments: [
        "eyJhbGciOiJSUzI1NiJ9.e30",                      // 2 segments
        "eyJhbGciOiJSUzI1NiJ9.e30.AA.AA",                // 4 segments
        "eyJhbGciOiJSUzI1NiJ9.e30=.AA",                  // padding
        "eyJhbGciOiJSUzI1NiJ9.e30.A+",                   // standard alphabet
        "eyJhbGciOiJSUzI1NiJ9 .e30.AA",                  // whitespace
        ".e30.AA",                                       // empty header
        "eyJhbGciOiJSUzI1NiJ9..AA",                      // empty payload
        "eyJhbGciOiJSUzI1NiJ9.WzFd.AA",                  // payload is [1], not an object
        "WzFd.e30.AA",                                   // header is [1], not an object
        "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.AA",           // payload "not json"
    ])
    func rejectsMalformedTokens(_ token: String) {
        let error = #expect(throws: CryptoError.self) { try CompactJWS(parsing: token) }
        #expect(error?.isInvalidInput == true)
    }

    @Test func allowsEmptySignatureSegmentForTheVerifierToReject() throws {
        let jws = try CompactJWS(parsing: "eyJhbGciOiJub25lIn0.e30.")
        #expect(jws.alg == "none")
        #expect(jws.signature.isEmpty)
    }

    @Test func rejectsTokensOver16KiB() throws {
        let big = try CompactJWS.sign(header: ["alg": "none"], claims: ["pad": String(repeating: "a", count: 17_000)]) { _ in [] }
        let error = #expect(throws: CryptoError.self) { try CompactJWS(parsing: big) }
        #expect(error?.isInvalidInput == true)
    }

    @Test func signsWithSortedKeysAndUnescapedSlashes() throws {
        let token = try CompactJWS.sign(
            header: ["typ": "JWT", "kid": "key-1", "alg": "RS256"],
            claims: ["sub": "user", "iss": "https://auth.example.com/", "exp": 1_700_000_000, "admin": true]
        ) { _ in [1, 2, 3] }
        let jws = try CompactJWS(parsing: token)
        #expect(jws.headerJSON == Array(#"{"alg":"RS256","kid":"key-1","typ":"JWT"}"#.utf8))
        #expect(jws.payloadJSON == Array(#"{"admin":true,"exp":1700000000,"iss":"https://auth.example.com/","sub":"user"}"#.utf8))
        #expect(jws.signature == [1, 2, 3])
        #expect(jws.alg == "RS256")
        #expect(jws.kid == "key-1")
        #expect(jws.typ == "JWT")
        #expect(token.hasSuffix(".AQID"))
    }

    @Test func rs256SignAndVerifyRoundTrip() throws {
        let key = try RSAPrivateKey(pem: RFC7515.rsaPrivateKeyPKCS8)
        let kid = key.publicKey.thumbprint()
        let token = try CompactJWS.sign(
            header: ["alg": "RS256", "typ": "at+jwt", "kid": kid],
            claims: ["iss": "https://issuer.example", "aud": ["a", "b"], "exp": 2_000_000_000],
            signer: key.signRS256
        )
        let jws = try CompactJWS(parsing: token)
        #expect(jws.kid == kid)
        #expect(jws.typ == "at+jwt")
        #expect(key.publicKey.verifyRS256(signature: jws.signature, message: jws.signingInput))
        let claims = try jws.claims()
        #expect(claims["aud"] as? [String] == ["a", "b"])
        #expect(claims["exp"] as? Int == 2_000_000_000)
    }

    @Test func es256SignAndVerifyRoundTrip() throws {
        let key = try P256PrivateKey.generate()
        let token = try CompactJWS.sign(header: ["alg": "ES256"], claims: ["sub": "did:privy:123"], signer: key.signES256)
        let jws = try CompactJWS(parsing: token)
        #expect(key.publicKey.verifyES256(rawSignature: jws.signature, message: jws.signingInput))
    }

    @Test func signerErrorsPropagate() {
        let error = #expect(throws: CryptoError.self) {
            try CompactJWS.sign(header: ["alg": "RS256"], claims: [:]) { _ throws(CryptoError) in
                throw CryptoError.operationFailed("boom")
            }
        }
        #expect(error == .operationFailed("boom"))
    }

    @Test func rejectsValuesThatAreNotJSON() {
        let error = #expect(throws: CryptoError.self) {
            try CompactJWS.sign(header: ["alg": "RS256"], claims: ["when": Double.nan]) { _ in [] }
        }
        #expect(error?.isInvalidInput == true)
    }
}
