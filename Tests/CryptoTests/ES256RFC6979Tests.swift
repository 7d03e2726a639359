import Crypto
import Testing

/// RFC 6979 Appendix A.2.5 (ECDSA, 256 bits, NIST P-256): the published public key and the
/// deterministic SHA-256 signatures of "sample" and "test". RFC 6979 only fixes how the signer
/// picks k, so each (r, s) is an ordinary ECDSA signature, and r || s (32 bytes each) is exactly
/// the JWS ES256 signature format (RFC 7518 §3.4).
@Suite struct ES256RFC6979Tests {
    /// A.2.5 "public key: U = xG". (The private key x = C9AFA9D8...120F6721 is not needed to verify.)
    static let ux = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
    static let uy = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"

    struct Vector: Sendable, CustomStringConvertible {
        let message: String
        let r: String
        let s: String
        var description: String { "SHA-256, message \"\(message)\"" }
    }

    /// A.2.5 "With SHA-256, message = ...".
    static let vectors = [
        Vector(message: "sample",
               r: "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
               s: "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"),
        Vector(message: "test",
               r: "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
               s: "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"),
    ]

    private func key() throws -> P256PublicKey {
        try P256PublicKey(x: hex(Self.ux), y: hex(Self.uy))
    }

    @Test(arguments: vectors)
    func verifiesPublishedSignature(_ vector: Vector) throws {
        let signature = hex(vector.r) + hex(vector.s)
        #expect(signature.count == 64)
        #expect(try key().verifyES256(rawSignature: signature, message: Array(vector.message.utf8)))
    }

    /// One flipped bit anywhere in r or s (first, middle and last bytes of each) fails.
    @Test(arguments: vectors, [0, 15, 31, 32, 47, 63])
    func rejectsFlippedBit(_ vector: Vector, index: Int) throws {
        var signature = hex(vector.r) + hex(vector.s)
        signature[index] ^= 0x01
        #expect(try !key().verifyES256(rawSignature: signature, message: Array(vector.message.utf8)))
    }

    /// Each signature belongs to its own message only.
    @Test func signaturesDoNotCrossMessages() throws {
        let (sample, test) = (Self.vectors[0], Self.vectors[1])
        #expect(try !key().verifyES256(rawSignature: hex(sample.r) + hex(sample.s), message: Array(test.message.utf8)))
        #expect(try !key().verifyES256(rawSignature: hex(test.r) + hex(test.s), message: Array(sample.message.utf8)))
    }
}
