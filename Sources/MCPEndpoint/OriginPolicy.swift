import WebRules

/// DNS-rebinding protection (MCP 2025-11-25 transports §Security Warning): an `Origin` header
/// that is present must be one we trust, else 403. Requests without `Origin` (ChatGPT calls
/// server-to-server) pass.
public struct OriginPolicy: Sendable {
    private let allowed: Set<String>

    /// ChatGPT's web origins, where a browser-side MCP client could run.
    static let chatGPTOrigins = ["https://chatgpt.com", "https://chat.openai.com"]

    init(serverBaseURL: String, extraOrigins: [String] = OriginPolicy.chatGPTOrigins) {
        allowed = Set(([serverBaseURL] + extraOrigins).compactMap(WebOrigin.of))
    }

    public func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        guard let normalized = WebOrigin.of(origin) else { return false }
        return allowed.contains(normalized)
    }
}
