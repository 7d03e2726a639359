@testable import OAuth
import Testing

/// The Authorization header's token: RFC 6750 §2.1 (b64token) with the scheme matched
/// case-insensitively (RFC 9110 §11.1).
@Suite struct BearerTokenParsingTests {
    @Test(arguments: [
        ("Bearer abc.DEF-_~+/=", "abc.DEF-_~+/="),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        ("  Bearer abc", "abc"),
        ("Bearer    abc \t ", "abc"),
        ("Bearer \tabc", "abc"),
    ])
    func tokenIsTaken(_ header: String, _ token: String) {
        #expect(BearerAuthenticator.bearerToken(header) == token)
    }

    @Test(arguments: [
        "", "Bearer", "Bearer ", "Bearer  \t ", "Basic abc", "Bearerabc", "Bearer\tabc", "Bear abc", "Bearers abc",
        "Bearer a b", "Bearer abc,def", "Bearer ab\u{E9}", "Bearer abc\r\n", "B\u{E9}arer abc", "Bearer \u{301}abc",
        "Token Bearer abc",
    ])
    func noTokenIsTaken(_ header: String) {
        #expect(BearerAuthenticator.bearerToken(header) == nil)
    }

    @Test func headersOver8192BytesAreRefused() {
        let token = String(repeating: "a", count: 8192 - "Bearer ".utf8.count)
        #expect(BearerAuthenticator.bearerToken("Bearer " + token) == token)
        #expect(BearerAuthenticator.bearerToken("Bearer " + token + "a") == nil)
        #expect(BearerAuthenticator.bearerToken(nil) == nil)
    }
}
