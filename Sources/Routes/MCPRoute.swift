import HTTPMessages
import MCPEndpoint
import OAuth
import Storage

/// `/mcp`: the bearer gate, then the MCP endpoint. Only converts our `Request`/`Response` to
/// the endpoint's plain values and back (like the SDK conformance server's HTTPApp.swift).
enum MCPRoute {
    static func register(on router: inout Router, services: AppServices) {
        guard let endpoint = services.mcp else { return }
        let gate = services.bearerGate
        // GET and DELETE are routed here too, so they get a 401 before the 405 (an
        // unauthenticated client learns nothing but where to sign in).
        for method in ["POST", "GET", "DELETE"] {
            router.add(method, "/mcp") { request in try respond(to: request, endpoint: endpoint, gate: gate) }
        }
    }

    static func respond(to request: Request, endpoint: MCPEndpoint, gate: BearerGate) throws -> Response {
        if let rejection = endpoint.originRejection(request.headers["Origin"]) { return response(rejection) }
        // Every request needs `read`; tools needing more check it themselves and answer with a
        // tool error ChatGPT can act on (RFC 6750 §3.1; MCP 2025-06-18 authorization §2.6).
        let access = try gate.require(Scope.read, for: request)
        guard request.method == "POST" else { return response(endpoint.methodNotAllowed()) }
        var caller = access
        caller.requestID = request.requestID
        let input = MCPHTTPRequest(headers: request.headers.fields.map { (name: $0.name, value: $0.value) }, body: request.body)
        return response(endpoint.handle(input, caller: caller))
    }

    private static func response(_ answer: MCPHTTPResponse) -> Response {
        Response(status: answer.status, headers: HTTPHeaders(answer.headers.map { ($0.name, $0.value) }), body: answer.body)
    }
}
