import Storage

/// Whether the consent screen may show a client under its name without a warning.
public enum ClientVerification {
    /// False for a client whose shown name (its `client_name`, else its id, which for a metadata
    /// document client is a URL) imitates a well-known product while the client is neither built
    /// in nor recognised as ChatGPT: anyone can register as "ChatGPT" (RFC 7591 §5: registered
    /// metadata is self-asserted), so the screen says "Unverified app" and names the host the
    /// user will be sent back to.
    public static func isVerified(_ client: OAuthClient) -> Bool {
        if client.origin == .builtIn || ChatGPTClients.recognizes(client) { return true }
        return KnownProductNames.imitated(by: client.name ?? client.id) == nil
    }
}
