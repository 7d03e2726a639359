import Storage
import WebRules

/// Which OAuth clients are ChatGPT: the built-in connector, and any client whose every redirect
/// URI is ChatGPT's own callback (https on chatgpt.com or chat.openai.com, as ChatGPT registers
/// itself through dynamic registration). Used where ChatGPT documents a behaviour of its own
/// that other clients do not share (the step-up signal of `/mcp`).
public enum ChatGPTClients {
    static let hosts: Set<String> = ["chatgpt.com", "chat.openai.com"]

    public static func recognizes(_ client: OAuthClient) -> Bool {
        if client.id == BuiltInClients.chatGPTConnectorID { return true }
        return !client.redirectURIs.isEmpty && client.redirectURIs.allSatisfy { uri in
            guard let url = AbsoluteURL(uri), url.scheme == "https", url.port == nil, !url.hasUserInfo else { return false }
            return hosts.contains(url.host)
        }
    }

    /// Looks the client up; a client that cannot be found (or a store that fails) is not ChatGPT,
    /// so the caller gets the standard signal.
    public static func recognizes(clientID: String, in store: any ClientStore) -> Bool {
        if clientID == BuiltInClients.chatGPTConnectorID { return true }
        guard let client = try? store.client(id: clientID) else { return false }
        return recognizes(client)
    }
}
