import Crypto
import Testing

/// RFC 7515 Appendix A.3 (ECDSA P-256 SHA-256) and P-256 sign/verify round trips.
@Suite struct ES256Tests {
    private func publishedKey() throws -> P256PublicKey {
        try P256PublicKey(x: b64(RFC7515.ecX), y: b64(RFC7515.ecY))
    }

    @Test func verifiesPublishedSignature() throws {
        let jws = try CompactJWS(parsing: RFC7515.es256Token)
        #expect(jws.signature.count == 64)
        #expect(try publishedKey().verifyES256(rawSignature: jws.signature, message: jws.signingInput))
    }

    @Test func verifiesPublishedSignatureWithPEM() throws {
        let jws = try CompactJWS(parsing: RFC7515.es256Token)
        let key = try P256PublicKey(pem: RFC7515.ecPublicKeySPKI)
        #expect(key.x == b64(RFC7515.ecX))
        #expect(key.y == b64(RFC7515.ecY))
        #expect(key.verifyES256(rawSignature: jws.signature, message: jws.signingInput))
    }

    @Test(arguments: [0, 31, 32, 63])
    func rejectsFlippedSignatureByte(_ index: Int) throws {
        let jws = try CompactJWS(parsing: RFC7515.es256Token)
        #expect(try !publishedKey().verifyES256(rawSignature: flipped(jws.signature, at: index), message: jws.signingInput))
    }

    @Test func rejectsAlteredMessage() throws {
        let jws = try CompactJWS(parsing: RFC7515.es256Token)
        #expect(try !publishedKey().verifyES256(rawSignature: jws.signature, message: flipped(jws.signingInput, at: 0)))
    }

    /// The same (r, s) in DER is a valid OpenSSL signature but not a valid JWS ES256 one.
    @Test func rejectsDEREncodingOfPublishedSignature() throws {
        let jws = try CompactJWS(parsing: RFC7515.es256Token)
        let der = b64(RFC7515.es256SignatureDER)
        #expect(der.first == 0x30)
        #expect(try !publishedKey().verifyES256(rawSignature: der, message: jws.signingInput))
    }

    @Test func rejectsWrongLengthsAndZeroSignature() throws {
        let jws = try CompactJWS(parsing: RFC7515.es256Token)
        let key = try publishedKey()
        #expect(!key.verifyES256(rawSignature: [], message: jws.signingInput))
        #expect(!key.verifyES256(rawSignature: Array(jws.signature.dropLast()), message: jws.signingInput))
        #expect(!key.verifyES256(rawSignature: jws.signature + [0], message: jws.signingInput))
        #expect(!key.verifyES256(rawSignature: [UInt8](repeating: 0, count: 64), message: jws.signingInput))
    }

    @Test func signThenVerifyRoundTrip() throws {
        let key = try P256PrivateKey.generate()
        let message = Array("payload to sign".utf8)
        let first = try key.signES256(message)
        let second = try key.signES256(message)
        #expect(first.count == 64)
        #expect(second.count == 64)
        #expect(first != second)  // ECDSA uses a fresh nonce each time
        #expect(key.publicKey.verifyES256(rawSignature: first, message: message))
        #expect(key.publicKey.verifyES256(rawSignature: second, message: message))
        #expect(!key.publicKey.verifyES256(rawSignature: first, message: Array("other".utf8)))
        let other = try P256PrivateKey.generate()
        #expect(!other.publicKey.verifyES256(rawSignature: first, message: message))
    }

    /// Signatures whose r or s has leading zero bytes must still be 64 bytes long; run
    /// enough signatures that short integers (probability 1/128 each) are exercised.
    @Test func signaturesAreAlwaysFixedLength() throws {
        let key = try P256PrivateKey.generate()
        for index in 0..<300 {
            let message = Array("message \(index)".utf8)
            let signature = try key.signES256(message)
            #expect(signature.count == 64)
            #expect(key.publicKey.verifyES256(rawSignature: signature, message: message))
        }
    }
}
