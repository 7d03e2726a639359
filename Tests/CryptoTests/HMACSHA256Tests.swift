import Crypto
import Testing

/// RFC 4231 §4 HMAC-SHA-256 test vectors.
@Suite struct HMACSHA256Tests {
    @Test func rfc4231TestCase1() {
        let mac = HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(mac == hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
    }

    @Test func rfc4231TestCase2() {
        let mac = HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
    }

    @Test func emptyKeyAndMessage() {
        #expect(HMACSHA256.authenticationCode(key: [], message: [])
            == hex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"))
    }
}
