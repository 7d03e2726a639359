import Foundation
import OAuth
import Storage
import Testing

/// Which clients get ChatGPT's own step-up signal: the built-in connector and clients registered
/// with only ChatGPT's callbacks; anything else gets the standard one.
@Suite struct ChatGPTClientsTests {
    static func client(_ redirectURIs: [String]) -> OAuthClient {
        OAuthClient(id: "c", name: nil, redirectURIs: redirectURIs, origin: .registered)
    }

    @Test(arguments: [
        (["https://chatgpt.com/connector_platform_oauth_redirect"], true),
        (["https://chat.openai.com/connector_platform_oauth_redirect", "https://chatgpt.com/connector/oauth/abc"], true),
        (["https://chatgpt.com/connector_platform_oauth_redirect", "http://127.0.0.1:3000/callback"], false),
        (["http://chatgpt.com/connector_platform_oauth_redirect"], false),
        (["https://chatgpt.com.evil.example/cb"], false),
        (["https://evil.example/cb?chatgpt.com"], false),
        (["https://chatgpt.com:8443/cb"], false),
        ([String](), false),
    ])
    func redirectURIsDecide(redirectURIs: [String], expected: Bool) {
        #expect(ChatGPTClients.recognizes(Self.client(redirectURIs)) == expected)
    }

    @Test func theBuiltInConnectorIsChatGPTWithoutALookup() {
        #expect(ChatGPTClients.recognizes(clientID: BuiltInClients.chatGPTConnectorID, in: MemoryStore()))
        #expect(!ChatGPTClients.recognizes(clientID: "unknown", in: MemoryStore()))
    }
}
