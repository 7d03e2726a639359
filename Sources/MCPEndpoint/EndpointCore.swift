import Backend
import MCP

/// What every request shares: immutable, so every worker thread may use it at once.
struct EndpointCore: Sendable {
    let info: Server.Info
    let instructions: String?
    /// In the order `tools/list` shows them.
    let tools: [any AppTool]
    let widgets: WidgetCatalog
    let api: any APITransport
    let revoker: GrantRevoker
    /// `<base>/.well-known/oauth-protected-resource/mcp`, for `mcp/www_authenticate` challenges.
    let resourceMetadataURL: String
    /// Every scope the app declares, asked for together when a tool needs more.
    let appScopes: [String]

    func tool(named name: String) -> (any AppTool)? {
        tools.first { $0.name == name }
    }
}
