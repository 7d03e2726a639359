import Crypto
import Testing

@Suite struct SecureRandomTests {
    @Test func returnsRequestedLength() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        #expect(SecureRandom.bytes(64).count == 64)
    }

    @Test func successiveOutputsDiffer() {
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(SecureRandom.token() != SecureRandom.token())
    }

    @Test func tokenIsUnpaddedBase64URLOfRequestedBytes() {
        let token = SecureRandom.token()
        #expect(token.count == 43)
        #expect(Base64URL.decode(token)?.count == 32)
        #expect(Base64URL.decode(SecureRandom.token(byteCount: 16))?.count == 16)
    }
}
