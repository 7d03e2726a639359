import Foundation

/// MCP protocol revisions this endpoint speaks, and the rules for picking one.
enum ProtocolVersion {
    static let v20250326 = "2025-03-26"
    static let v20250618 = "2025-06-18"
    static let v20251125 = "2025-11-25"
    static let v20260728 = MCP20260728.version

    /// The revisions negotiated with `initialize`, newest first. 2024-11-05 is left out: it
    /// predates Streamable HTTP.
    static let supported = [v20251125, v20250618, v20250326]
    static let newest = v20251125
    /// Every revision served, newest first: what a -32022 lists, so a client of either era finds
    /// one it speaks (MCP 2026-07-28 basic/versioning §Unsupported versions).
    static let served = [v20260728] + supported

    /// How one request is answered, from its `MCP-Protocol-Version` header alone
    /// (MCP 2026-07-28 basic/versioning §Serving both eras: the era is chosen per request).
    enum Route: Equatable {
        /// Today's handshake-era path, at this revision.
        case handshake(String)
        /// The 2026-07-28 path (`MCP2026Endpoint`).
        case modern
        /// 400 with -32022; the header's value, trimmed.
        case unsupported(String)
    }

    /// MCP 2025-06-18 transports §2.7: without the header the server assumes 2025-03-26.
    static func route(_ header: String?) -> Route {
        guard let header else { return .handshake(v20250326) }
        // HTTP's optional whitespace is spaces and tabs (RFC 9110 §5.6.3); no CharacterSet here,
        // it runs on every request.
        let trimmed = header.utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
        let version = String(decoding: trimmed, as: UTF8.self)
        if version == v20260728 { return .modern }
        return supported.contains(version) ? .handshake(version) : .unsupported(version)
    }

    /// MCP 2025-11-25 lifecycle §Version Negotiation: echo the client's version when we support
    /// it, otherwise answer with the newest we have and let the client decide. 2026-07-28 has no
    /// handshake, so a client asking for it here is offered 2025-11-25 (2026-07-28 basic/versioning).
    static func negotiate(_ requested: String) -> String {
        supported.contains(requested) ? requested : newest
    }

    /// JSON-RPC batches exist only in 2025-03-26 (removed by 2025-06-18, changelog item 1).
    static func allowsBatches(_ version: String) -> Bool {
        version == v20250326
    }
}
