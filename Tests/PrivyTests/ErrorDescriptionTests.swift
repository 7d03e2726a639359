import Foundation
import Privy
import Testing

/// Error texts go to logs: they name the check and never carry the token or raw control bytes.
@Suite struct ErrorDescriptionTests {
    @Test func descriptionsNeverEchoTheToken() throws {
        let tokens = try PrivyTestTokens()
        let good = try tokens.token()
        let cases: [String] = [
            good + "x",                                           // bad signature segment
            try tokens.token(changingHeader: ["alg": "HS256"]),
            try tokens.token(changing: ["iss": "joe"]),
            String(good.reversed()),
        ]
        for token in cases {
            let error = try #require(verificationError(tokens.verifier(), token))
            let text = error.description
            for segment in token.split(separator: ".") where segment.count > 8 {
                #expect(!text.contains(segment))
            }
        }
    }

    @Test func tokenSuppliedTextIsSanitized() {
        let hostile = PrivyTokenError.unknownKey("k\n2024-01-01 INFO forged log line" + String(repeating: "x", count: 200))
        let text = hostile.description
        #expect(!text.contains("\n"))
        #expect(text.count < 120)
        #expect(PrivyTokenError.invalidType("a\"b").description.contains("a\\\"b"))
    }

    @Test func everyCaseNamesItsCheck() {
        let expectations: [(PrivyTokenError, String)] = [
            (.malformed("missing claim \"exp\""), "malformed"),
            (.unsupportedAlgorithm("none"), "algorithm"),
            (.unsupportedAlgorithm(""), "algorithm"),
            (.invalidType("at+jwt"), "type"),
            (.invalidType(""), "type"),
            (.unknownKey("k"), "kid"),
            (.unknownKey(nil), "key id"),
            (.badSignature, "signature"),
            (.wrongIssuer("joe"), "issuer"),
            (.wrongAudience, "audience"),
            (.expired, "expired"),
            (.notYetValid, "nbf"),
            (.issuedInFuture, "iat"),
            (.invalidSubject, "subject"),
            (.keysUnavailable("HTTP 500"), "unavailable"),
        ]
        for (error, word) in expectations {
            #expect(error.description.contains(word), "\(error)")
        }
    }
}
