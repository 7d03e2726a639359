import Testing
import WebRules

@Suite struct WebOriginTests {
    @Test(arguments: [
        ("https://chatgpt.com", "https://chatgpt.com"),
        ("HTTPS://ChatGPT.com:443", "https://chatgpt.com"),
        ("https://chatgpt.com/some/path", "https://chatgpt.com"),
        (" http://localhost:3002 ", "http://localhost:3002"),
        ("http://localhost:80", "http://localhost"),
        ("http://[::1]:3002", "http://[::1]:3002"),
    ])
    func serializes(_ text: String, _ origin: String) {
        #expect(WebOrigin.of(text) == origin)
    }

    @Test(arguments: ["null", "", "chatgpt.com", "file:///x", "https://user@chatgpt.com", "https://chatgpt.com:99999",
                      "https://chatgpt.cöm"])
    func refuses(_ text: String) {
        #expect(WebOrigin.of(text) == nil)
    }
}
