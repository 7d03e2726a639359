import Foundation
@testable import OAuth

/// `Authorization` header parsing (BearerAuthenticator.bearerToken, RFC 6750 §2.1, RFC 9110
/// §11.1) on its own and through authenticate.
///
/// Properties: a token is extracted only from "Bearer <b64token>" (scheme case-insensitive,
/// header at most 8192 bytes) and consists only of b64token characters; authenticate says
/// `.missing` exactly when no token is extracted, never succeeds for anything but the fixture
/// token, and never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let header = Harness.substitute(Array(UnsafeBufferPointer(start: data, count: size))).text
    let token = BearerAuthenticator.bearerToken(header)
    if let token {
        Harness.require(header.utf8.count <= 8192, "token taken from a header over 8192 bytes")
        Harness.require(!token.isEmpty, "empty token")
        Harness.require(token.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~+/=".utf8.contains(byte)
        }, "token has characters outside b64token: \(token.debugDescription)")
        Harness.require(String(header.drop { $0 == " " }).lowercased().hasPrefix("bearer "),
                        "token taken from another scheme: \(header.prefix(40).debugDescription)")
    }
    let bearer = BearerAuthenticator(accessTokens: Harness.accessTokens, store: BearerFixtures.store)
    switch bearer.authenticate(authorization: header) {
    case .failure(.missing):
        Harness.require(token == nil, "a token was extracted but authenticate says missing")
    case .failure(.unavailable):
        Harness.require(false, "memory store reported unavailable")
    case .failure(.invalid):
        Harness.require(token != nil, "no token extracted but authenticate says invalid")
    case .success:
        Harness.require(token == Harness.accessToken, "authenticated with \(token ?? "nil")")
    }
    _ = BearerAuthenticator.bearerToken(nil)
    return 0
}

enum BearerFixtures {
    static let store = Harness.makeStore()
}
