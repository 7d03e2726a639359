import Foundation

/// What a 2026-07-28 request says about itself in `params._meta`: there is no handshake, so
/// every request carries its revision and the client's capabilities, valid for that request
/// only (MCP 2026-07-28 basic/index §Request _meta, basic/versioning).
struct MCP2026Envelope {
    let protocolVersion: String
    let clientCapabilities: [String: Any]

    /// nil when `_meta` is missing or lacks either required key: -32602 (basic/index §Request _meta).
    init?(params: [String: Any]?) {
        guard let meta = params?["_meta"] as? [String: Any],
              let version = meta[MCP20260728.protocolVersionKey] as? String,
              let capabilities = meta[MCP20260728.clientCapabilitiesKey] as? [String: Any] else { return nil }
        protocolVersion = version
        clientCapabilities = capabilities
    }

    /// Whether the host renders MCP Apps widgets: it declares the extension, with any settings
    /// (SEP-1865; MCP 2026-07-28 basic/versioning §Extensions).
    var rendersWidgets: Bool {
        (clientCapabilities["extensions"] as? [String: Any])?[MCP20260728.uiExtension] is [String: Any]
    }
}
