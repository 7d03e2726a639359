import Foundation

/// DNS-rebinding protection (MCP 2025-11-25 transports §Security Warning): an `Origin` header
/// that is present must be one we trust, else 403. Requests without `Origin` (ChatGPT calls
/// server-to-server) pass.
struct OriginPolicy: Sendable {
    private let allowed: Set<String>

    /// ChatGPT's web origins, where a browser-side MCP client could run.
    static let chatGPTOrigins = ["https://chatgpt.com", "https://chat.openai.com"]

    init(serverBaseURL: String, extraOrigins: [String] = OriginPolicy.chatGPTOrigins) {
        allowed = Set(([serverBaseURL] + extraOrigins).compactMap(Self.normalize))
    }

    func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        guard let normalized = Self.normalize(origin) else { return false }
        return allowed.contains(normalized)
    }

    /// `scheme://host[:port]` lowercased, default ports dropped (RFC 6454 §6.1); nil for
    /// anything else, including the opaque origin `null`.
    static func normalize(_ text: String) -> String? {
        // Origins are ASCII serializations (RFC 6454 §6.2); anything else is not ours.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        let scheme: String
        let defaultPort: String
        if lowered.hasPrefix("https://") {
            (scheme, defaultPort) = ("https", "443")
        } else if lowered.hasPrefix("http://") {
            (scheme, defaultPort) = ("http", "80")
        } else {
            return nil
        }
        var authority = String(lowered.dropFirst(scheme.count + 3))
        if let slash = authority.firstIndex(of: "/") { authority = String(authority[..<slash]) }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        if authority.hasSuffix(":" + defaultPort) { authority.removeLast(defaultPort.count + 1) }
        return scheme + "://" + authority
    }
}
