import Foundation
@testable import OAuth
import Storage
import Testing

@Suite struct ClientNameTests {
    @Test(arguments: [
        ("Notes", "Notes"),
        // Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) are dropped.
        ("Good\u{202E}txt.exe", "Goodtxt.exe"),
        ("\u{2066}Chat\u{2069}GPT\u{202A}\u{202B}\u{202C}\u{202D}\u{2067}\u{2068}", "ChatGPT"),
        // Other format characters (Cf): zero-width space and joiner, soft hyphen, BOM, LRM/RLM.
        ("Ch\u{200B}at\u{200D}G\u{00AD}P\u{FEFF}T\u{200E}\u{200F}", "ChatGPT"),
        // Controls (Cc): NUL, ESC and DEL vanish; tab and line breaks separate words.
        ("a\u{0}b\u{1B}c\u{7F}", "abc"),
        ("two\twords\r\nhere", "two words here"),
        // Any white space run becomes one space, and the ends are trimmed.
        ("  spaced \u{2028}\u{00A0} out  ", "spaced out"),
        ("café ünïcode 😀", "café ünïcode 😀"),
    ])
    func cleaning(_ raw: String, _ cleaned: String) {
        #expect(ClientName.clean(raw) == cleaned)
    }

    @Test func invisibleOnlyNameIsNoName() throws {
        #expect(try ClientName.parse("\u{202E}\u{200B} \u{0}") == nil)
        #expect(try ClientName.parse(nil) == nil)
    }

    @Test func lengthIsCappedInCharactersAndInBytes() throws {
        #expect(try ClientName.parse(String(repeating: "a", count: 200)) != nil)
        #expect(throws: OAuthError.self) { try ClientName.parse(String(repeating: "a", count: 201)) }
        // 150 characters but 600 bytes: at the byte cap.
        #expect(try ClientName.parse(String(repeating: "😀", count: 150)) != nil)
        #expect(throws: OAuthError.self) { try ClientName.parse(String(repeating: "😀", count: 151)) }
        // One character carrying 400 combining marks: a single character, over the byte cap.
        let zalgo = "a" + String(repeating: "\u{0301}", count: 400)
        #expect(zalgo.count == 1)
        #expect(throws: OAuthError.self) { try ClientName.parse(zalgo) }
        // Invisible characters do not count: they are gone before the caps apply.
        #expect(try ClientName.parse(String(repeating: "\u{200B}", count: 1000) + "ok") == "ok")
    }

    @Test func notAStringIsInvalidClientMetadata() {
        #expect(oauthError { _ = try ClientName.parse(42) } == .invalidClientMetadata)
    }

    @Test func registrationStoresAndReturnsTheCleanedName() throws {
        let registration = ClientRegistration(store: MemoryStore())
        let registered = try registration.register(metadata: [
            "redirect_uris": ["https://client.example/cb"], "client_name": "Safe\u{202E}gpj.exe",
        ])
        #expect(registered.client_name == "Safegpj.exe")
        #expect(try registration.store.client(id: registered.client_id)?.name == "Safegpj.exe")
    }
}

@Suite struct KnownProductNamesTests {
    @Test(arguments: [
        ("ChatGPT", "ChatGPT"), ("chatgpt connector", "ChatGPT"), ("Chat GPT", "ChatGPT"), ("Chat-G.P.T", "ChatGPT"),
        ("0penAI", "OpenAI"), ("Open AI Login", "OpenAI"), ("OPENAI", "OpenAI"),
        ("Ｃｌａｕｄｅ", "Claude"),       // full width
        ("\u{0421}laude", "Claude"),    // Cyrillic Es
        ("C1aude", "Claude"), ("Cláude", "Claude"), ("𝐂𝐥𝐚𝐮𝐝𝐞", "Claude"),  // digit, accent, styled
        ("Anthropic Console", "Anthropic"), ("Pr1vy", "Privy"), ("G00gle Drive", "Google"),
        ("rnicrosoft", "Microsoft"), ("Micro soft", "Microsoft"), ("Git Hub", "GitHub"), ("g1thub", "GitHub"),
        ("Gemini", "Gemini"), ("Copilot", "Copilot"),
    ])
    func imitations(_ name: String, _ product: String) {
        #expect(KnownProductNames.imitated(by: name) == product, "\(name)")
    }

    @Test(arguments: ["Notes", "My Todo App", "Acme CRM", "Chatbot", "Open Notes", "Git Sync", "", "!!!", "日本語"])
    func ordinaryNames(_ name: String) {
        #expect(KnownProductNames.imitated(by: name) == nil, "\(name)")
    }
}

@Suite struct ClientVerificationTests {
    func client(_ name: String?, id: String = "client_x", redirect: String = "https://evil.example/cb",
                origin: OAuthClient.Origin = .registered) -> OAuthClient {
        OAuthClient(id: id, name: name, redirectURIs: [redirect], origin: origin)
    }

    @Test func imitationsAreUnverifiedUnlessTheClientIsKnown() {
        #expect(!ClientVerification.isVerified(client("Chat GPT")))
        #expect(!ClientVerification.isVerified(client("0penAI")))
        #expect(ClientVerification.isVerified(client("Notes")))
        #expect(ClientVerification.isVerified(client(nil)))
        // The built-in connector, and ChatGPT registering itself with only ChatGPT callbacks.
        #expect(ClientVerification.isVerified(BuiltInClients.chatGPTConnector))
        #expect(ClientVerification.isVerified(client("ChatGPT", redirect: "https://chatgpt.com/connector/oauth/abc")))
        // A metadata-document client without a name is shown by its URL, which is checked too.
        #expect(!ClientVerification.isVerified(client(nil, id: "https://openai.evil.example/client.json",
                                                       origin: .metadataDocument)))
    }
}
