import Crypto
import Foundation
import Privy
import Testing

/// Properly signed tokens whose claims are wrong for us.
@Suite struct VerifierClaimTests {
    private func error(_ changes: [String: Any?], now: Date = PrivyTestTokens.now) throws -> PrivyTokenError? {
        let tokens = try PrivyTestTokens()
        return verificationError(tokens.verifier(now: now), try tokens.token(changing: changes))
    }

    @Test func expired() throws {
        let tokens = try PrivyTestTokens()
        let verifier = tokens.verifier(now: PrivyTestTokens.now + 3600 + 31)
        #expect(verificationError(verifier, try tokens.token()) == .expired)
    }

    @Test func wrongAudience() throws {
        #expect(try error(["aud": "someone-else"]) == .wrongAudience)
        #expect(try error(["aud": ["a", "b"]]) == .wrongAudience)
        #expect(try error(["aud": []]) == .wrongAudience)
        #expect(try error(["aud": PrivyTestTokens.appID.uppercased()]) == .wrongAudience)
    }

    @Test func emptyConfiguredAppIDMatchesNothing() throws {
        let tokens = try PrivyTestTokens()
        let verifier = PrivyTokenVerifier(appID: "", keys: tokens.keySource, clock: { PrivyTestTokens.now })
        #expect(verificationError(verifier, try tokens.token(changing: ["aud": ""])) == .wrongAudience)
    }

    @Test func malformedAudience() throws {
        #expect(try error(["aud": nil]) == .malformed("missing claim \"aud\""))
        #expect(try error(["aud": 7]) == .malformed("claim \"aud\" is neither a string nor an array"))
        #expect(try error(["aud": [PrivyTestTokens.appID, 7]]) == .malformed("claim \"aud\" holds a non-string"))
    }

    @Test func wrongIssuer() throws {
        #expect(try error(["iss": "https://privy.io"]) == .wrongIssuer("https://privy.io"))
        #expect(try error(["iss": "privy.io.evil.com"]) == .wrongIssuer("privy.io.evil.com"))
        #expect(try error(["iss": nil]) == .malformed("missing claim \"iss\""))
        #expect(try error(["iss": ["privy.io"]]) == .malformed("claim \"iss\" is not a string"))
    }

    @Test func issuedInTheFutureBeyondLeeway() throws {
        let iat = Int(PrivyTestTokens.now.timeIntervalSince1970) + 31
        #expect(try error(["iat": iat, "exp": iat + 3600]) == .issuedInFuture)
    }

    @Test func notBeforeInTheFuture() throws {
        #expect(try error(["nbf": Int(PrivyTestTokens.now.timeIntervalSince1970) + 31]) == .notYetValid)
        #expect(try error(["nbf": Int(PrivyTestTokens.now.timeIntervalSince1970) + 30]) == nil)
    }

    @Test func missingTimes() throws {
        #expect(try error(["exp": nil]) == .malformed("missing claim \"exp\""))
        #expect(try error(["iat": nil]) == .malformed("missing claim \"iat\""))
    }

    /// JSON true would bridge to 1.0 if read carelessly; strings and nulls are not times.
    @Test(arguments: ["exp", "iat", "nbf"])
    func nonNumericTimes(_ claim: String) throws {
        for value: Any in [true, "1750003600", NSNull(), [1_750_003_600]] {
            #expect(try error([claim: value]) == .malformed("claim \"\(claim)\" is not a number"))
        }
    }

    @Test func subjectMustBePrivyDID() throws {
        for sub: Any? in [nil, "", "did:privy:", "user-1", "did:key:abc", "DID:PRIVY:abc", "did:privy:a b", 42,
                          "did:privy:" + String(repeating: "a", count: 201)] {
            #expect(try error(["sub": sub]) == .invalidSubject)
        }
    }

    @Test func nonStringSessionIDIsDropped() throws {
        let tokens = try PrivyTestTokens()
        #expect(try tokens.verifier().verify(tokens.token(changing: ["sid": 5])).sessionID == nil)
    }
}
