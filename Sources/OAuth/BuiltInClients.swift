import Storage

/// Clients that exist without registration.
public enum BuiltInClients {
    /// The original system's static ChatGPT connector client, registered at every start.
    public static let chatGPTConnectorID = "chatgpt-connector"

    /// Every built-in client, saved at each start (and before an import of the original's clients).
    public static var all: [OAuthClient] { [chatGPTConnector] }

    public static let chatGPTConnector = OAuthClient(
        id: chatGPTConnectorID,
        name: "ChatGPT",
        redirectURIs: [
            "https://chatgpt.com/connector_platform_oauth_redirect",
            "https://chat.openai.com/connector_platform_oauth_redirect",
        ],
        // ChatGPT's callback id changes when a connector is recreated: allow one segment after
        // this fixed prefix, locked to chatgpt.com.
        redirectURIPrefixes: ["https://chatgpt.com/connector/oauth/"],
        origin: .builtIn
    )
}
