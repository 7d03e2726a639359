import Crypto
import Testing

@Suite struct Base64URLTests {
    /// RFC 4648 §10 vectors, unpadded.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(plain) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesURLSafeAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xfb, 0xff])
    }

    @Test func roundTripsEveryLengthAndByte() {
        for length in 0...70 {
            let bytes = SecureRandom.bytes(length)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        let allBytes = (0...255).map { UInt8($0) }
        #expect(Base64URL.decode(Base64URL.encode(allBytes)) == allBytes)
    }

    @Test(arguments: [
        "Zg==",      // padding
        "Zm8=",      // padding
        "+_8",       // standard alphabet '+'
        "-/8",       // standard alphabet '/'
        " Zg",       // whitespace
        "Zm9v\n",    // newline
        "Zm9 v",     // inner space
        "Zm9vY",     // 4k+1 length is impossible
        "Zh",        // non-canonical: low bits set in the last character
        "Zm9",       // non-canonical: low bits set
        "Zm9vé",     // non-ASCII
        "Zm9v.",     // separator
    ])
    func rejectsNonCanonicalText(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
