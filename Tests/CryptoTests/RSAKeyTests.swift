import Crypto
import Testing

@Suite struct RSAKeyTests {
    @Test func generateAndPEMRoundTrip() throws {
        let key = try RSAPrivateKey.generate()
        #expect(key.publicKey.bits == 2048)
        #expect(key.publicKey.exponent == [0x01, 0x00, 0x01])
        #expect(key.publicKey.modulus.count == 256)
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let reloaded = try RSAPrivateKey(pem: key.pem)
        #expect(reloaded.publicKey.modulus == key.publicKey.modulus)

        let publicPEM = key.publicKey.pem
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let publicKey = try RSAPublicKey(pem: publicPEM)
        #expect(publicKey.modulus == key.publicKey.modulus)
        #expect(publicKey.thumbprint() == key.publicKey.thumbprint())

        let message = Array("access token".utf8)
        let signature = try reloaded.signRS256(message)
        #expect(signature.count == 256)
        #expect(publicKey.verifyRS256(signature: signature, message: message))
    }

    @Test func componentsRoundTripThroughJWKForm() throws {
        let key = try RSAPublicKey(pem: RFC7515.rsaPublicKeyPKCS1)
        #expect(key.modulus == b64(RFC7515.rsaModulus))
        #expect(key.modulus.first != 0)
        #expect(key.exponent == [0x01, 0x00, 0x01])
        #expect(key.bits == 2048)
        let rebuilt = try RSAPublicKey(modulus: key.modulus, exponent: key.exponent)
        #expect(rebuilt.pem == key.pem)
        // A JWK encoder that kept a sign byte still yields the same key.
        let padded = try RSAPublicKey(modulus: [0] + key.modulus, exponent: key.exponent)
        #expect(padded.modulus == key.modulus)
    }

    /// RFC 7638 §3.1 example JWK and its thumbprint.
    @Test func thumbprintMatchesRFC7638Example() throws {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try RSAPublicKey(modulus: b64(n), exponent: b64("AQAB"))
        #expect(key.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test func rejectsKeysBelow2048Bits() throws {
        let error = #expect(throws: CryptoError.self) { try RSAPublicKey(pem: OtherKeys.rsa1024PublicKey) }
        #expect(error?.isInvalidKey == true)
        let generateError = #expect(throws: CryptoError.self) { try RSAPrivateKey.generate(bits: 1024) }
        #expect(generateError?.isInvalidInput == true)
    }

    @Test func rejectsNonRSAKeysAndGarbage() {
        for pem in [RFC7515.ecPublicKeySPKI, "", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"] {
            let error = #expect(throws: CryptoError.self) { try RSAPublicKey(pem: pem) }
            #expect(error?.isInvalidKey == true)
        }
        for pem in [OtherKeys.p256PrivateKeySEC1, "", RFC7515.rsaPublicKeySPKI] {
            let error = #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: pem) }
            #expect(error?.isInvalidKey == true)
        }
    }

    @Test func rejectsInvalidComponents() {
        // Even modulus of the right size: fails OpenSSL's public key check.
        let evenModulus = [UInt8](repeating: 0xFF, count: 255) + [0xFE]
        let error = #expect(throws: CryptoError.self) { try RSAPublicKey(modulus: evenModulus, exponent: [1, 0, 1]) }
        #expect(error?.isInvalidKey == true)
        #expect(throws: CryptoError.self) { try RSAPublicKey(modulus: [], exponent: [1, 0, 1]) }
        #expect(throws: CryptoError.self) { try RSAPublicKey(modulus: b64(RFC7515.rsaModulus), exponent: []) }
    }
}
