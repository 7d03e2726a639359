import MCP
import Backend

/// What every request shares: immutable, so every worker thread may use it at once.
struct EndpointCore: Sendable {
    struct Info: Sendable {
        let name: String
        let version: String
        let title: String
        let instructions: String
    }

    let info: Info
    /// In the order `tools/list` shows them.
    let tools: [any AppTool]
    let widgets: WidgetCatalog
    let backend: any ItemsBackend
    let revoker: GrantRevoker
    /// `<base>/.well-known/oauth-protected-resource/mcp`, for `mcp/www_authenticate` challenges.
    let resourceMetadataURL: String

    func tool(named name: String) -> (any AppTool)? {
        tools.first { $0.descriptor.tool.name == name }
    }
}
