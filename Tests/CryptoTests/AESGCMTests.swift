import Crypto
import Testing

@Suite struct AESGCMTests {
    /// McGrew & Viega, "The Galois/Counter Mode of Operation", Test Case 16 (AES-256,
    /// 96-bit IV, 60-byte plaintext, 20-byte AAD), laid out as nonce || ciphertext || tag.
    @Test func opensMcGrewViegaTestCase16() throws {
        let key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let plaintext = hex("""
            d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
            1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
            """)
        let associatedData = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let nonce = hex("cafebabefacedbaddecaf888")
        let ciphertext = hex("""
            522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
            8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
            """)
        let tag = hex("76fc6ece0f4e1768cddf8853bb2d551b")
        let sealed = nonce + ciphertext + tag
        #expect(try AESGCM.open(sealed, key: key, associatedData: associatedData) == plaintext)
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: key) }
    }

    @Test func roundTrip() throws {
        let key = SecureRandom.bytes(32)
        for plaintext in [[], Array("x".utf8), SecureRandom.bytes(1000)] {
            let sealed = try AESGCM.seal(plaintext, key: key, associatedData: Array("aad".utf8))
            #expect(sealed.count == 12 + plaintext.count + 16)
            #expect(try AESGCM.open(sealed, key: key, associatedData: Array("aad".utf8)) == plaintext)
        }
    }

    @Test func freshNonceEachSeal() throws {
        let key = SecureRandom.bytes(32)
        let first = try AESGCM.seal(Array("same".utf8), key: key)
        let second = try AESGCM.seal(Array("same".utf8), key: key)
        #expect(first.prefix(12) != second.prefix(12))
        #expect(first != second)
    }

    @Test func rejectsTamperingAnywhere() throws {
        let key = SecureRandom.bytes(32)
        let sealed = try AESGCM.seal(Array("secret refresh token".utf8), key: key)
        for index in [0, 11, 12, sealed.count - 17, sealed.count - 16, sealed.count - 1] {
            let error = #expect(throws: CryptoError.self) { try AESGCM.open(flipped(sealed, at: index), key: key) }
            #expect(error?.isOperationFailed == true)
        }
    }

    @Test func rejectsWrongKeyOrAssociatedData() throws {
        let key = SecureRandom.bytes(32)
        let sealed = try AESGCM.seal(Array("secret".utf8), key: key, associatedData: Array("user-1".utf8))
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: SecureRandom.bytes(32), associatedData: Array("user-1".utf8)) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: key, associatedData: Array("user-2".utf8)) }
        #expect(throws: CryptoError.self) { try AESGCM.open(sealed, key: key) }
    }

    @Test func rejectsTruncatedInput() throws {
        let key = SecureRandom.bytes(32)
        let sealed = try AESGCM.seal(Array("secret".utf8), key: key)
        #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.dropLast()), key: key) }
        let short = #expect(throws: CryptoError.self) { try AESGCM.open(Array(sealed.prefix(27)), key: key) }
        #expect(short?.isInvalidInput == true)
        #expect(throws: CryptoError.self) { try AESGCM.open([], key: key) }
    }

    @Test func rejectsKeysThatAreNot256Bits() {
        for length in [0, 16, 31, 33] {
            let error = #expect(throws: CryptoError.self) { try AESGCM.seal([1], key: [UInt8](repeating: 7, count: length)) }
            #expect(error?.isInvalidKey == true)
        }
    }
}
