import Testing
import WebRules

/// The one URL reading, on the forms that fool hand-written parsers.
@Suite struct AbsoluteURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let url: String
        /// nil when the text is not an absolute URL at all.
        let host: String?
        var port: Int? = nil
        var userInfo = false
        var loopback = false
        var testDescription: String { url }
    }

    static let cases: [Case] = [
        Case(url: "https://chatgpt.com/connector/oauth/x", host: "chatgpt.com"),
        Case(url: "HTTPS://ChatGPT.COM:443", host: "chatgpt.com", port: 443),
        Case(url: "http://localhost:3002/mcp", host: "localhost", port: 3002, loopback: true),
        Case(url: "http://LOCALHOST", host: "localhost", loopback: true),
        Case(url: "http://127.0.0.1/", host: "127.0.0.1", loopback: true),
        Case(url: "http://127.255.0.9:80?x", host: "127.255.0.9", port: 80, loopback: true),
        Case(url: "http://[::1]:8080/", host: "[::1]", port: 8080, loopback: true),
        Case(url: "http://[0:0:0:0:0:0:0:1]/", host: "[0:0:0:0:0:0:0:1]", loopback: true),
        Case(url: "http://[::ffff:127.0.0.1]/", host: "[::ffff:127.0.0.1]", loopback: true),
        Case(url: "http://[::ffff:10.0.0.1]/", host: "[::ffff:10.0.0.1]"),
        Case(url: "http://[::2]/", host: "[::2]"),
        // User info: the host is what follows the last "@", and such a URL is never loopback.
        Case(url: "http://localhost@evil.example/", host: "evil.example", userInfo: true),
        Case(url: "http://evil.example@localhost/", host: "localhost", userInfo: true),
        Case(url: "http://a@b@127.0.0.1/", host: "127.0.0.1", userInfo: true),
        // Not the loopback forms a resolver agrees on, or not loopback at all.
        Case(url: "http://localhost./", host: "localhost."),
        Case(url: "http://127.0.0.1./", host: "127.0.0.1."),
        Case(url: "http://127.1/", host: "127.1"),
        Case(url: "http://0177.0.0.1/", host: "0177.0.0.1"),
        Case(url: "http://127.000.0.1/", host: "127.000.0.1"),
        Case(url: "http://%6cocalhost/", host: "%6cocalhost"),
        Case(url: "http://localhost.evil.example/", host: "localhost.evil.example"),
        Case(url: "http://128.0.0.1/", host: "128.0.0.1"),
        // A path, query or fragment ends the authority, whatever follows.
        Case(url: "https://example.com#@localhost/", host: "example.com"),
        Case(url: "https://example.com?@localhost", host: "example.com"),
        Case(url: "https://example.com/@localhost", host: "example.com"),
        // Not absolute URLs.
        Case(url: "localhost:3002", host: nil),
        Case(url: "//localhost/", host: nil),
        Case(url: "http://", host: nil),
        Case(url: "http://:80/", host: nil),
        Case(url: "http://[]/", host: nil),
        Case(url: "http://[::1/", host: nil),
        Case(url: "http://[::1]x/", host: nil),
        Case(url: "http://localhost:0/", host: nil),
        Case(url: "http://localhost:65536/", host: nil),
        Case(url: "http://localhost:080808/", host: nil),
        Case(url: "http://localhost:+80/", host: nil),
        Case(url: "http://loca\u{301}lhost/", host: nil),
        Case(url: "1http://localhost/", host: nil),
    ]

    @Test(arguments: cases)
    func reads(_ testCase: Case) {
        let parsed = AbsoluteURL(testCase.url)
        #expect(parsed?.host == testCase.host)
        guard let parsed else { return }
        #expect(parsed.port == testCase.port)
        #expect(parsed.hasUserInfo == testCase.userInfo)
        #expect(parsed.isLoopback == testCase.loopback)
    }

    @Test func displayHostLeavesOutTheDefaultPort() {
        #expect(AbsoluteURL("https://chatgpt.com:443/cb")?.displayHost == "chatgpt.com")
        #expect(AbsoluteURL("https://chatgpt.com:8443/cb")?.displayHost == "chatgpt.com:8443")
        #expect(AbsoluteURL("http://localhost:80/")?.displayHost == "localhost")
        #expect(AbsoluteURL("http://[::1]:3002/")?.displayHost == "[::1]:3002")
    }

    @Test func restKeepsPathQueryAndFragment() {
        #expect(AbsoluteURL("https://a.example:8443/p/q?x=1#f")?.rest == "/p/q?x=1#f")
        #expect(AbsoluteURL("https://a.example")?.rest == "")
    }

    @Test func onlyHTTPSchemesAreHTTP() {
        #expect(AbsoluteURL("ftp://127.0.0.1/")?.isHTTP == false)
        #expect(AbsoluteURL("ftp://127.0.0.1/")?.isLoopback == false)
        #expect(AbsoluteURL("Https://a.example")?.scheme == "https")
    }
}
