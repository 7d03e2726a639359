import Crypto
import Testing

@Suite struct P256KeyTests {
    @Test func privateAndPublicPEMRoundTrip() throws {
        let key = try P256PrivateKey.generate()
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reloaded = try P256PrivateKey(pem: key.pem)
        #expect(reloaded.publicKey.x == key.publicKey.x)
        #expect(reloaded.publicKey.y == key.publicKey.y)

        let publicKey = try P256PublicKey(pem: key.publicKey.pem)
        #expect(publicKey.x.count == 32)
        #expect(publicKey.y.count == 32)
        let message = Array("hello".utf8)
        #expect(publicKey.verifyES256(rawSignature: try reloaded.signES256(message), message: message))
    }

    @Test func readsSEC1PrivateKey() throws {
        let key = try P256PrivateKey(pem: OtherKeys.p256PrivateKeySEC1)
        let message = Array("hello".utf8)
        #expect(key.publicKey.verifyES256(rawSignature: try key.signES256(message), message: message))
    }

    @Test func coordinatesRoundTripThroughJWKForm() throws {
        let key = try P256PublicKey(pem: RFC7515.ecPublicKeySPKI)
        let rebuilt = try P256PublicKey(x: key.x, y: key.y)
        #expect(rebuilt.pem == key.pem)
    }

    @Test func rejectsSecp256k1P384RSAAndGarbage() {
        for pem in [OtherKeys.secp256k1PublicKey, OtherKeys.p384PublicKey, RFC7515.rsaPublicKeySPKI, "", "garbage"] {
            let error = #expect(throws: CryptoError.self) { try P256PublicKey(pem: pem) }
            #expect(error?.isInvalidKey == true)
        }
    }

    @Test func rejectsNonP256PrivateKeys() {
        let error = #expect(throws: CryptoError.self) { try P256PrivateKey(pem: RFC7515.rsaPrivateKeyPKCS8) }
        #expect(error?.isInvalidKey == true)
    }

    @Test func rejectsBadCoordinates() {
        let x = b64(RFC7515.ecX)
        let y = b64(RFC7515.ecY)
        // Wrong lengths (a 33-byte coordinate with a sign byte is not valid JWK).
        #expect(throws: CryptoError.self) { try P256PublicKey(x: Array(x.dropFirst()), y: y) }
        #expect(throws: CryptoError.self) { try P256PublicKey(x: [0] + x, y: y) }
        // Right length, but the point is not on the curve.
        let error = #expect(throws: CryptoError.self) { try P256PublicKey(x: x, y: flipped(y, at: 31)) }
        #expect(error?.isInvalidKey == true)
    }
}
