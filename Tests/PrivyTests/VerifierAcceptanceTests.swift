import Crypto
import Foundation
import Privy
import Testing

/// Tokens Privy would issue are accepted and turned into the right identity.
@Suite struct VerifierAcceptanceTests {
    @Test func goodTokenGivesIdentity() throws {
        let tokens = try PrivyTestTokens()
        let identity = try tokens.verifier().verify(tokens.token())
        #expect(identity == PrivyIdentity(
            userID: PrivyTestTokens.userID,
            sessionID: PrivyTestTokens.sessionID,
            appID: PrivyTestTokens.appID,
            issuedAt: PrivyTestTokens.now,
            expiresAt: PrivyTestTokens.now + 3600
        ))
    }

    @Test func sessionIDIsOptional() throws {
        let tokens = try PrivyTestTokens()
        let identity = try tokens.verifier().verify(tokens.token(changing: ["sid": nil]))
        #expect(identity.sessionID == nil)
        #expect(identity.userID == PrivyTestTokens.userID)
    }

    /// RFC 7519 §5.1: media type names compare case-insensitively.
    @Test func typComparedCaseInsensitively() throws {
        let tokens = try PrivyTestTokens()
        #expect(throws: Never.self) { try tokens.verifier().verify(tokens.token(changingHeader: ["typ": "jwt"])) }
    }

    @Test func audienceArrayContainingOurAppID() throws {
        let tokens = try PrivyTestTokens()
        let token = try tokens.token(changing: ["aud": ["another-app", PrivyTestTokens.appID]])
        #expect(try tokens.verifier().verify(token).appID == PrivyTestTokens.appID)
    }

    /// RFC 7519 §2 NumericDate may be fractional; JSONSerialization hands over Int or Double.
    @Test func fractionalTimesAccepted() throws {
        let tokens = try PrivyTestTokens()
        let iat = PrivyTestTokens.now.timeIntervalSince1970 - 0.5
        let identity = try tokens.verifier().verify(tokens.token(changing: ["iat": iat, "exp": iat + 60.25, "nbf": iat]))
        #expect(identity.issuedAt.timeIntervalSince1970 == iat)
        #expect(identity.expiresAt.timeIntervalSince1970 == iat + 60.25)
    }

    @Test func leewayCoversSmallClockSkew() throws {
        let tokens = try PrivyTestTokens()
        let now = PrivyTestTokens.now
        // Expired 20 s ago, issued 20 s "in the future": within the default 30 s leeway.
        #expect(throws: Never.self) { try tokens.verifier(now: now + 3600 + 20).verify(tokens.token()) }
        #expect(throws: Never.self) { try tokens.verifier(now: now - 20).verify(tokens.token()) }
    }

    @Test func leewayIsClampedToSixtySeconds() throws {
        let tokens = try PrivyTestTokens()
        let verifier = tokens.verifier(leeway: 3600, now: PrivyTestTokens.now + 3600 + 61)
        #expect(verificationError(verifier, try tokens.token()) == .expired)
        let withinCap = tokens.verifier(leeway: 3600, now: PrivyTestTokens.now + 3600 + 59)
        #expect(verificationError(withinCap, try tokens.token()) == nil)
    }

    @Test func staticKeyAcceptsAnyKeyID() throws {
        let tokens = try PrivyTestTokens()
        #expect(throws: Never.self) { try tokens.verifier().verify(tokens.token(changingHeader: ["kid": "rotated"])) }
        #expect(throws: Never.self) { try tokens.verifier().verify(tokens.token(changingHeader: ["kid": nil])) }
    }

    @Test func staticKeyFromPEMIncludingEscapedNewlines() throws {
        let tokens = try PrivyTestTokens()
        let pem = tokens.key.publicKey.pem
        let oneLine = pem.replacingOccurrences(of: "\n", with: "\\n")
        for text in [pem, oneLine] {
            let verifier = PrivyTokenVerifier(appID: PrivyTestTokens.appID, keys: try StaticPrivyKey(pem: text), clock: { PrivyTestTokens.now })
            #expect(throws: Never.self) { try verifier.verify(tokens.token()) }
        }
        #expect(throws: CryptoError.self) { try StaticPrivyKey(pem: "not a key") }
    }
}
