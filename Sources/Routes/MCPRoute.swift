import HTTPMessages
import MCPEndpoint
import OAuth

extension MCPEndpoint: CallerResponder {}

/// `/mcp`: the origin check, then the bearer gate, then the MCP endpoint, each a responder.
enum MCPRoute {
    static func register(on router: inout Router, services: AppServices) {
        guard let endpoint = services.mcp else { return }
        // Every request needs one of the app's scopes; each tool checks its own and answers with
        // a tool error ChatGPT can act on (RFC 6750 §3.1; MCP 2025-06-18 authorization §2.6).
        let settings = services.oauth.settings
        let chain = OriginCheck(policy: endpoint.origins, rejection: MCPEndpoint.originRejection,
                                next: BearerGated(gate: services.bearerGate, anyOf: settings.appScopes.map(\.name),
                                                  challengeScope: settings.challengeScope, next: endpoint))
        // GET and DELETE are routed here too, so they get a 401 before the 405 (an
        // unauthenticated client learns nothing but where to sign in).
        for method in ["POST", "GET", "DELETE"] {
            router.add(method, "/mcp") { request in chain.respond(to: request) }
        }
    }
}
