import Crypto
import Foundation
import Privy
import Testing

/// Header and signature attacks: each fails with the specific error, before claims are read.
@Suite struct VerifierHeaderTests {
    @Test func algNoneWithEmptySignature() throws {
        let tokens = try PrivyTestTokens()
        let token = try PrivyTestTokens.assemble(header: ["alg": "none", "typ": "JWT"], claims: tokens.claims(), signature: [])
        #expect(token.hasSuffix("."))
        #expect(verificationError(tokens.verifier(), token) == .unsupportedAlgorithm("none"))
    }

    /// Key confusion (RFC 8725 §2.1): HMAC keyed with the public key's PEM text.
    @Test func hs256KeyedWithPublicKeyPEM() throws {
        let tokens = try PrivyTestTokens()
        let secret = Array(tokens.key.publicKey.pem.utf8)
        let token = try CompactJWS.sign(header: ["alg": "HS256", "typ": "JWT", "kid": tokens.kid], claims: tokens.claims()) { input in
            HMACSHA256.authenticationCode(key: secret, message: input)
        }
        #expect(verificationError(tokens.verifier(), token) == .unsupportedAlgorithm("HS256"))
    }

    @Test func rs256Header() throws {
        let tokens = try PrivyTestTokens()
        // Whatever the signature, RS256 is refused before any key is consulted.
        let token = try tokens.token(changingHeader: ["alg": "RS256"])
        #expect(verificationError(tokens.verifier(), token) == .unsupportedAlgorithm("RS256"))
    }

    @Test(arguments: ["es256", "ES384", "ES256 ", ""])
    func otherAlgorithmSpellings(_ alg: String) throws {
        let tokens = try PrivyTestTokens()
        #expect(verificationError(tokens.verifier(), try tokens.token(changingHeader: ["alg": alg])) == .unsupportedAlgorithm(alg))
    }

    @Test func missingOrNonStringAlg() throws {
        let tokens = try PrivyTestTokens()
        #expect(verificationError(tokens.verifier(), try tokens.token(changingHeader: ["alg": nil])) == .unsupportedAlgorithm(""))
        #expect(verificationError(tokens.verifier(), try tokens.token(changingHeader: ["alg": 256])) == .unsupportedAlgorithm(""))
    }

    /// The algorithm is judged before the key source is asked, so a bad alg never causes a
    /// JWKS fetch.
    @Test func algCheckedBeforeKeyLookup() throws {
        let tokens = try PrivyTestTokens()
        let verifier = tokens.verifier(keys: TellTaleKeySource())
        #expect(verificationError(verifier, try tokens.token(changingHeader: ["alg": "HS256"])) == .unsupportedAlgorithm("HS256"))
        #expect(verificationError(verifier, try tokens.token(changingHeader: ["typ": "at+jwt"])) == .invalidType("at+jwt"))
        #expect(verificationError(verifier, try tokens.token()) == .keysUnavailable("asked"))
    }

    /// Privy's access tokens always carry typ JWT (and Privy's own verifier requires it): a
    /// token without one is refused, with a reason that names the check.
    @Test func typIsRequired() throws {
        let tokens = try PrivyTestTokens()
        let error = verificationError(tokens.verifier(), try tokens.token(changingHeader: ["typ": nil]))
        #expect(error == .invalidType(""))
        #expect(error?.description == "token names no type (typ JWT required)")
    }

    @Test func typAtJWT() throws {
        let tokens = try PrivyTestTokens()
        #expect(verificationError(tokens.verifier(), try tokens.token(changingHeader: ["typ": "at+jwt"])) == .invalidType("at+jwt"))
        #expect(verificationError(tokens.verifier(), try tokens.token(changingHeader: ["typ": 1])) == .invalidType("(not a string)"))
    }

    @Test func tamperedPayloadKeepsOldSignature() throws {
        let tokens = try PrivyTestTokens()
        let good = try tokens.token()
        let parts = good.split(separator: ".").map(String.init)
        var claims = tokens.claims()
        claims["sub"] = "did:privy:mallory"
        let tampered = [parts[0], try PrivyTestTokens.encodeJSON(claims), parts[2]].joined(separator: ".")
        #expect(verificationError(tokens.verifier(), tampered) == .badSignature)
    }

    @Test func derEncodedSignature() throws {
        let tokens = try PrivyTestTokens()
        let jws = try CompactJWS(parsing: tokens.token())
        let der = PrivyTestTokens.der(fromRaw: jws.signature)
        #expect(der.count != 64 && der.first == 0x30)
        let token = String(decoding: jws.signingInput, as: UTF8.self) + "." + Base64URL.encode(der)
        #expect(verificationError(tokens.verifier(), token) == .badSignature)
    }

    @Test func signatureFromAnotherKey() throws {
        let tokens = try PrivyTestTokens()
        let stranger = try PrivyTestTokens()
        #expect(verificationError(tokens.verifier(), try stranger.token()) == .badSignature)
    }

    @Test func truncatedAndZeroSignatures() throws {
        let tokens = try PrivyTestTokens()
        let jws = try CompactJWS(parsing: tokens.token())
        let input = String(decoding: jws.signingInput, as: UTF8.self)
        for signature in [Array(jws.signature.dropLast()), jws.signature + [0], [UInt8](repeating: 0, count: 64)] {
            #expect(verificationError(tokens.verifier(), input + "." + Base64URL.encode(signature)) == .badSignature)
        }
    }

    /// Claims are only read after the signature verified: a forged token with every claim
    /// wrong still reports the signature.
    @Test func signatureCheckedBeforeClaims() throws {
        let tokens = try PrivyTestTokens()
        let stranger = try PrivyTestTokens()
        let forged = try stranger.token(claims: ["iss": "evil", "aud": "x", "exp": 1, "sub": "root"])
        #expect(verificationError(tokens.verifier(), forged) == .badSignature)
    }
}

/// Declines with a distinctive error, so a test can tell whether it was consulted at all.
private struct TellTaleKeySource: PrivyKeySource {
    func key(for keyID: String?) throws(PrivyTokenError) -> P256PublicKey {
        throw .keysUnavailable("asked")
    }
}
