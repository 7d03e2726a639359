import Foundation
import Testing
import WebRules

@Suite struct PercentEncodingTests {
    /// Ids become exactly one path segment, whatever they contain ("." too: ".." would climb).
    @Test(arguments: [
        ("item-1", "item-1"), ("a/1", "a%2F1"), ("..", "%2E%2E"), ("b 2", "b%202"), ("x?y#z", "x%3Fy%23z"),
        ("é", "%C3%A9"), ("A_b~9", "A_b~9"), ("%2F", "%252F"), ("did:privy:abc", "did%3Aprivy%3Aabc"),
    ])
    func pathSegment(_ raw: String, _ encoded: String) {
        #expect(PercentEncoding.pathSegment(raw) == encoded)
    }

    @Test(arguments: [("a b&c=d", "a%20b%26c%3Dd"), ("https://x.example/cb?y", "https%3A%2F%2Fx.example%2Fcb%3Fy"),
                      ("v1.2_~-", "v1.2_~-"), ("é", "%C3%A9")])
    func component(_ raw: String, _ encoded: String) {
        #expect(PercentEncoding.component(raw) == encoded)
    }
}

@Suite struct ByteExactTests {
    /// U+212A KELVIN SIGN is canonically equivalent to "K": equal to Swift, different in bytes.
    @Test func canonicallyEquivalentTextIsNotEqual() {
        let kelvin = "https://client.example/\u{212A}"
        #expect(kelvin == "https://client.example/K")
        #expect(!ByteExact.equal(kelvin, "https://client.example/K"))
        #expect(ByteExact.equal("read", "read"))
        #expect(!ByteExact.contains(["https://client.example/K"], kelvin))
        #expect(!ByteExact.isSubset(["read", "wri\u{0301}te"], of: ["read", "wrí" + "te"]))
        #expect(ByteExact.isSubset(["read"], of: ["read", "write"]))
    }
}

@Suite struct BearerChallengeHeaderTests {
    @Test func quotesEveryValue() {
        let header = BearerChallengeHeader(resourceMetadata: "https://a.example/.well-known/oauth-protected-resource/mcp",
                                           error: "invalid_token", description: #"the "aud" \ claim"#, scope: "read write")
        #expect(header.value == #"Bearer resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", "#
                + #"error="invalid_token", error_description="the \"aud\" \\ claim", scope="read write""#)
    }

    @Test func leavesOutWhatIsNotGivenAndKeepsOneLine() {
        #expect(BearerChallengeHeader(resourceMetadata: "https://a.example/m").value == #"Bearer resource_metadata="https://a.example/m""#)
        #expect(!BearerChallengeHeader(resourceMetadata: "x", description: "a\r\nSet-Cookie: b").value.contains("\n"))
    }
}

@Suite struct JSONOutputTests {
    struct Sample: Encodable {
        let zeta = 1
        let alpha = "https://a.example/x"
    }

    @Test func sortedKeysAndUnescapedSlashes() {
        #expect(String(decoding: JSONOutput.encode(Sample()), as: UTF8.self) == #"{"alpha":"https://a.example/x","zeta":1}"#)
    }
}
