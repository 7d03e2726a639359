import Crypto
import Foundation
import Privy

/// Privy access-token verification (parse, ES256 verify, claim checks) on one thread,
/// beside the raw ECDSA P-256 verify rate `openssl speed` measures on the same machine: the
/// ratio shows how much our JSON and bookkeeping cost on top of the curve arithmetic.
struct PrivyBenchmark {
    static let duration: TimeInterval = 2

    static func run() {
        let ours: Double
        do {
            ours = try measureVerifier()
        } catch {
            print("privy-verify: failed: \(error)")
            return
        }
        print("privy-verify: \(Int(ours)) verifications/s, \(format(1e6 / ours)) µs each")
        guard let reference = OpenSSLSpeed.ecdsaP256VerifiesPerSecond(seconds: Int(duration)) else {
            print("reference openssl ecdsap256 verify: unavailable (openssl speed did not run)")
            return
        }
        print("reference openssl ecdsap256 verify: \(Int(reference))/s")
        print("privy-verify / openssl verify: \(format(ours / reference))")
    }

    /// Verifications per second of a freshly minted Privy-format token.
    private static func measureVerifier() throws -> Double {
        let key = try P256PrivateKey.generate()
        let now = Int(Date().timeIntervalSince1970)
        let token = try CompactJWS.sign(
            header: ["alg": "ES256", "typ": "JWT", "kid": "bench"],
            claims: [
                "sid": "cm0benchsession", "sub": "did:privy:cm0benchuser0000000000000", "iss": "privy.io",
                "aud": "bench-app", "iat": now, "exp": now + 3600,
            ],
            signer: key.signES256
        )
        let verifier = PrivyTokenVerifier(appID: "bench-app", keys: StaticPrivyKey(key: key.publicKey))
        return try CPUTimeRate.measure(seconds: duration, batch: 50) { _ = try verifier.verify(token) }
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
