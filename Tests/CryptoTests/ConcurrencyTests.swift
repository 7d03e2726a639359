import Crypto
import Testing

/// Keys are shared across FastCGI worker threads; each operation must be independent.
@Suite struct ConcurrencyTests {
    @Test func sharedKeysSignAndVerifyConcurrently() async throws {
        let rsa = try RSAPrivateKey(pem: RFC7515.rsaPrivateKeyPKCS8)
        let p256 = try P256PrivateKey.generate()
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var ok = true
                    for index in 0..<20 {
                        let message = Array("task \(task) message \(index)".utf8)
                        let rsaSignature = try rsa.signRS256(message)
                        let p256Signature = try p256.signES256(message)
                        ok = ok && rsa.publicKey.verifyRS256(signature: rsaSignature, message: message)
                        ok = ok && p256.publicKey.verifyES256(rawSignature: p256Signature, message: message)
                        ok = ok && !p256.publicKey.verifyES256(rawSignature: [UInt8](repeating: 1, count: 64), message: message)
                    }
                    return ok
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [Bool](repeating: true, count: 8))
    }
}
