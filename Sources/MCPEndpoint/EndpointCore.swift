import Backend
import MCP
import Storage

/// What every request shares: immutable, so every worker thread may use it at once.
struct EndpointCore: Sendable {
    let info: Server.Info
    let instructions: String?
    /// In the order `tools/list` shows them.
    let tools: [any AppTool]
    let widgets: WidgetCatalog
    let api: any APITransport
    let revoker: GrantRevoker
    /// Calls to the user's API each user may make per minute (`ToolContext.call`).
    let backendBudget: CallBudget
    /// `<base>/.well-known/oauth-protected-resource/mcp`, for `mcp/www_authenticate` challenges.
    let resourceMetadataURL: String
    /// How a caller lacking a tool's scope is asked for more.
    let stepUp: StepUpChallenge

    func tool(named name: String) -> (any AppTool)? {
        tools.first { $0.name == name }
    }
}

extension EndpointCore {
    /// The step-up challenge built from the app's scopes.
    init(info: Server.Info, instructions: String?, tools: [any AppTool], widgets: WidgetCatalog, api: any APITransport,
         revoker: GrantRevoker, backendBudget: CallBudget = .unlimited("backend"), resourceMetadataURL: String, appScopes: [String],
         isChatGPT: @escaping @Sendable (Caller) -> Bool = { _ in true }) {
        self.init(info: info, instructions: instructions, tools: tools, widgets: widgets, api: api, revoker: revoker,
                  backendBudget: backendBudget, resourceMetadataURL: resourceMetadataURL,
                  stepUp: StepUpChallenge(resourceMetadataURL: resourceMetadataURL, appScopes: appScopes, isChatGPT: isChatGPT))
    }
}
