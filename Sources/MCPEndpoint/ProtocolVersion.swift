import Foundation

/// MCP protocol revisions this endpoint speaks, and the rules for picking one.
enum ProtocolVersion {
    static let v20250326 = "2025-03-26"
    static let v20250618 = "2025-06-18"
    static let v20251125 = "2025-11-25"

    /// Newest first. 2024-11-05 is left out: it predates Streamable HTTP.
    static let supported = [v20251125, v20250618, v20250326]
    static let newest = v20251125

    /// MCP 2025-11-25 lifecycle §Version Negotiation: echo the client's version when we support
    /// it, otherwise answer with the newest we have and let the client decide.
    static func negotiate(_ requested: String) -> String {
        supported.contains(requested) ? requested : newest
    }

    /// MCP 2025-06-18 transports §2.7: without the `MCP-Protocol-Version` header the server
    /// assumes 2025-03-26; a value it does not support is a 400.
    static func fromHeader(_ header: String?) -> String? {
        guard let header else { return v20250326 }
        // HTTP's optional whitespace is spaces and tabs (RFC 9110 §5.6.3); no CharacterSet here,
        // it runs on every request.
        let trimmed = header.utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
        let version = String(decoding: trimmed, as: UTF8.self)
        return supported.contains(version) ? version : nil
    }

    /// JSON-RPC batches exist only in 2025-03-26 (removed by 2025-06-18, changelog item 1).
    static func allowsBatches(_ version: String) -> Bool {
        version == v20250326
    }
}
