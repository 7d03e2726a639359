import OAuth
import Testing

@Suite struct RedirectURIPolicyTests {
    @Test(arguments: ["https://a.example/cb", "http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:3000/x",
                      "https://a.example/cb?query=1"])
    func registrableURIs(_ uri: String) {
        #expect(RedirectURIPolicy.registrationProblem(uri) == nil)
    }

    @Test(arguments: ["http://a.example/cb", "https://a.example/cb#x", "/relative", "javascript:alert(1)", "https://",
                      "https://u:p@a.example/cb", "https://a.example/c b", "ftp://a.example/cb", "http://localhost.evil.example/cb",
                      "https://a.example/cb#\u{301}x", "https://a.example/\u{301}cb", "https://a.example/cb\\x"])
    func refusedURIs(_ uri: String) {
        #expect(RedirectURIPolicy.registrationProblem(uri) != nil)
    }

    @Test func prefixesAllowExactlyOneSafeSegment() {
        let prefixes = ["https://chatgpt.com/connector/oauth/"]
        #expect(RedirectURIPolicy.matches("https://chatgpt.com/connector/oauth/abc_1-2", registered: [], prefixes: prefixes))
        for uri in ["https://chatgpt.com/connector/oauth/", "https://chatgpt.com/connector/oauth/a/b",
                    "https://chatgpt.com/connector/oauth/a?x=1", "https://chatgpt.com/connector/oauth/..%2F",
                    "https://chatgpt.com/connector/oauth/a.b"] {
            #expect(!RedirectURIPolicy.matches(uri, registered: [], prefixes: prefixes), "\(uri)")
        }
    }

    @Test func exactMatchComparesBytesNotCanonicalEquivalence() {
        let precomposed = "https://a.example/caf\u{E9}"
        let decomposed = "https://a.example/cafe\u{301}"
        #expect(precomposed == decomposed)  // Swift's String equality: why bytes are compared
        #expect(!RedirectURIPolicy.matches(decomposed, registered: [precomposed], prefixes: []))
    }

    @Test func appendingKeepsAnExistingQuery() {
        #expect(RedirectURIPolicy.appending([("code", "a b"), ("state", "&=")], to: "https://x.example/cb?k=v")
            == "https://x.example/cb?k=v&code=a%20b&state=%26%3D")
    }
}
