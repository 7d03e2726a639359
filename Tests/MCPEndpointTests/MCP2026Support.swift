import Foundation
import HTTPMessages
import MCPEndpoint
import Storage

/// Requests of MCP 2026-07-28: the envelope in `params._meta` and the routing headers, each of
/// which a test may leave out or change.
extension Harness {
    static let widgetsUI = ["extensions": ["io.modelcontextprotocol/ui": ["mimeTypes": ["text/html;profile=mcp-app"]]]]

    static func envelope(version: String = "2026-07-28", capabilities: [String: Any] = [:]) -> [String: Any] {
        ["io.modelcontextprotocol/protocolVersion": version, "io.modelcontextprotocol/clientCapabilities": capabilities,
         "io.modelcontextprotocol/clientInfo": ["name": "tests", "version": "1"]]
    }

    /// The headers a conforming client sends for `method` with `params`.
    static func headers2026(_ method: String, params: [String: Any]) -> [(String, String)] {
        var headers = [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", method)]
        if let name = (method == "resources/read" ? params["uri"] : ["tools/call", "prompts/get"].contains(method) ? params["name"] : nil) as? String {
            headers.append(("Mcp-Name", name))
        }
        return headers
    }

    /// One 2026 request. `params` get the envelope unless `meta` says otherwise (nil: no `_meta`);
    /// `headers` replace the conforming ones when given.
    func post2026(_ method: String, params: [String: Any] = [:], id: Any = 1, meta: [String: Any]? = Harness.envelope(),
                  headers: [(String, String)]? = nil, caller: Caller = Harness.caller()) async -> HTTPMessages.Response {
        var full = params
        if let meta { full["_meta"] = meta }
        let message: [String: Any] = ["jsonrpc": "2.0", "id": id, "method": method, "params": full]
        return await post(JSON.text(message), headers: headers ?? Harness.headers2026(method, params: params), caller: caller)
    }

    /// One 2026 request; the whole reply object.
    func rpc2026(_ method: String, params: [String: Any] = [:], id: Any = 1, capabilities: [String: Any] = [:],
                 caller: Caller = Harness.caller()) async -> JSON {
        JSON(bytes: await post2026(method, params: params, id: id, meta: Harness.envelope(capabilities: capabilities), caller: caller).body)
    }
}
