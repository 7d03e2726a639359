import Foundation
import Storage

public enum BearerProblem: Error, Equatable {
    case missing
    case invalid(String)
    case unavailable
}

/// Checks `Authorization: Bearer` (RFC 6750 §2.1; tokens in the query or body are not accepted)
/// against our signature, claims, and the session store, so revoked tokens stop working at once.
public struct BearerAuthenticator: Sendable {
    let accessTokens: AccessTokens
    let store: any GrantStore
    let verified: VerifiedTokenCache

    public init(accessTokens: AccessTokens, store: any GrantStore) {
        self.accessTokens = accessTokens
        self.store = store
        self.verified = VerifiedTokenCache()
    }

    public func authenticate(authorization: String?, now: Date = Date()) -> Result<Caller, BearerProblem> {
        guard let token = Self.bearerToken(authorization) else { return .failure(.missing) }
        let nowSeconds = Int(now.timeIntervalSince1970)
        let claims: AccessTokenClaims
        if let cached = verified.claims(for: token, now: nowSeconds) {
            claims = cached
        } else {
            switch accessTokens.verify(token, now: now) {
            case .failure(let problem): return .failure(.invalid(problem.rawValue))
            case .success(let checked):
                claims = checked
                verified.insert(checked, for: token, now: nowSeconds)
            }
        }
        let found: (AccessTokenSession, Grant)?
        do {
            found = try store.accessSession(jti: claims.jti)
        } catch {
            return .failure(.unavailable)
        }
        guard let (session, grant) = found, session.clientID == claims.clientID, session.userID == claims.subject else {
            return .failure(.invalid(AccessTokenProblem.unknownSession.rawValue))
        }
        guard session.revokedAt == nil, grant.revokedAt == nil else { return .failure(.invalid(AccessTokenProblem.revoked.rawValue)) }
        return .success(Caller(userID: grant.userID, clientID: grant.clientID, scopes: session.scopes, grantID: grant.id,
                               jti: session.jti, resource: claims.audience, privyAccessToken: grant.privyAccessToken))
    }

    /// `Bearer <token>` with the scheme matched case-insensitively (RFC 9110 §11.1) and the token
    /// limited to the b64token characters of RFC 6750 §2.1. Leading spaces, then the scheme, one
    /// space, and the token with surrounding spaces or tabs trimmed. Scanned as bytes: splitting
    /// and trimming by Character walked grapheme clusters over the whole (~800-byte) token.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let bytes = header.utf8
        guard bytes.count <= 8192 else { return nil }
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        guard let schemeStart = bytes.firstIndex(where: { $0 != space }) else { return nil }
        guard let schemeEnd = bytes[schemeStart...].firstIndex(of: space),
              bytes[schemeStart..<schemeEnd].elementsEqual("bearer".utf8, by: { asciiLowercased($0) == $1 })
        else { return nil }
        let rest = bytes[bytes.index(after: schemeEnd)...]
        guard let first = rest.firstIndex(where: { $0 != space && $0 != tab }),
              let last = rest.lastIndex(where: { $0 != space && $0 != tab })
        else { return nil }
        let token = bytes[first...last]
        guard token.allSatisfy(isTokenByte) else { return nil }
        return String(Substring(token))
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"),
             UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }
}
