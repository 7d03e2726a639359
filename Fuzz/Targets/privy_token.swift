import Crypto
import Foundation
import Privy

/// Privy access tokens (PrivyTokenVerifier.verify: ES256 JWS, typ JWT, iss privy.io, aud app id,
/// exp/nbf/iat with leeway, sub did:privy:...) with a static key (PRIVY_VERIFICATION_KEY).
///
/// Input: a mode byte, then
///   mode 0: the token text (`@@PRIVY@@` is a valid token);
///   mode 1: header JSON bytes, NUL, claims JSON bytes -> signed ES256 with the key the verifier
///           trusts, so every claim check is reached;
///   mode 2: the same, signed with ANOTHER P-256 key (must fail);
///   mode 3: the same, with alg none / HS256 over the public key bytes (must fail).
/// Properties: no trap; success only for what the trusted key signed, with iss privy.io, our
/// audience, a did:privy: subject; a mode-0 success never alters the signed bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var reader = FuzzReader(Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size))))
    let mode = reader.byte() & 3
    let token: String
    switch mode {
    case 0:
        token = reader.rest().text
    default:
        token = reader.signedToken(mode: mode, trusted: { try Harness.privyKey.signES256($0) },
                                   other: { try PrivyFixtures.otherKey.signES256($0) },
                                   publicKeyAsSecret: PrivyFixtures.publicBytes)
    }

    let verifier = PrivyTokenVerifier(appID: Harness.privyAppID, keys: Harness.privyKeySource)
    do {
        let identity = try verifier.verify(token)
        Harness.require(mode == 0 || mode == 1, "a token not signed by the trusted key verified (mode \(mode))")
        if mode == 0 {
            let signed = Harness.privyToken.split(separator: ".").prefix(2).joined(separator: ".")
            Harness.require(token.hasPrefix(signed + "."), "an altered Privy token verified: \(token.prefix(120))")
        }
        Harness.require(identity.userID.hasPrefix("did:privy:") && identity.appID == Harness.privyAppID,
                        "accepted identity \(identity.userID) for \(identity.appID)")
        Harness.require(identity.expiresAt.timeIntervalSinceNow > -61, "accepted an expired token")
    } catch {
        if case .keysUnavailable = error { Harness.require(false, "static key reported unavailable") }
        _ = error.description
    }
    return 0
}

enum PrivyFixtures {
    static let otherKey: P256PrivateKey = {
        do { return try P256PrivateKey.generate() } catch { fatalError("generate: \(error)") }
    }()
    static let publicBytes: [UInt8] = Array(Harness.privyKey.publicKey.pem.utf8)
}
