import Crypto
import Testing

/// RFC 7515 Appendix A.2: RSASSA-PKCS1-v1_5 with SHA-256.
@Suite struct RS256Tests {
    @Test func verifiesPublishedSignatureWithJWKComponents() throws {
        let jws = try CompactJWS(parsing: RFC7515.rs256Token)
        let key = try RSAPublicKey(modulus: b64(RFC7515.rsaModulus), exponent: b64(RFC7515.rsaExponent))
        #expect(key.verifyRS256(signature: jws.signature, message: jws.signingInput))
    }

    @Test func verifiesPublishedSignatureWithSPKIAndPKCS1PEM() throws {
        let jws = try CompactJWS(parsing: RFC7515.rs256Token)
        for pem in [RFC7515.rsaPublicKeySPKI, RFC7515.rsaPublicKeyPKCS1] {
            let key = try RSAPublicKey(pem: pem)
            #expect(key.verifyRS256(signature: jws.signature, message: jws.signingInput))
        }
    }

    /// PKCS#1 v1.5 signatures are deterministic, so signing the A.2 input with the A.2 key
    /// must reproduce the published signature byte for byte.
    @Test func signingWithPKCS1OrPKCS8KeyReproducesPublishedSignature() throws {
        let jws = try CompactJWS(parsing: RFC7515.rs256Token)
        for pem in [RFC7515.rsaPrivateKeyPKCS1, RFC7515.rsaPrivateKeyPKCS8] {
            let key = try RSAPrivateKey(pem: pem)
            #expect(try key.signRS256(jws.signingInput) == jws.signature)
            #expect(key.publicKey.modulus == b64(RFC7515.rsaModulus))
            #expect(key.publicKey.exponent == b64(RFC7515.rsaExponent))
        }
    }

    @Test func rejectsAlteredSignatureOrMessage() throws {
        let jws = try CompactJWS(parsing: RFC7515.rs256Token)
        let key = try RSAPublicKey(pem: RFC7515.rsaPublicKeySPKI)
        for index in [0, 100, jws.signature.count - 1] {
            #expect(!key.verifyRS256(signature: flipped(jws.signature, at: index), message: jws.signingInput))
        }
        #expect(!key.verifyRS256(signature: jws.signature, message: flipped(jws.signingInput, at: 5)))
        #expect(!key.verifyRS256(signature: [], message: jws.signingInput))
        #expect(!key.verifyRS256(signature: Array(jws.signature.dropLast()), message: jws.signingInput))
        #expect(!key.verifyRS256(signature: jws.signature + [0], message: jws.signingInput))
    }

    @Test func rejectsSignatureFromAnotherKey() throws {
        let jws = try CompactJWS(parsing: RFC7515.rs256Token)
        let other = try RSAPrivateKey.generate()
        #expect(!other.publicKey.verifyRS256(signature: jws.signature, message: jws.signingInput))
    }
}
