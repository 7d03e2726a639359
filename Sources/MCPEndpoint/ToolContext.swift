import Backend
import MCP
import ServerLog
import WebRules
import Storage

/// What a tool call knows: the caller and the shared parts of the endpoint. Also turns the
/// failures every tool shares into results ChatGPT understands.
public struct ToolContext: Sendable {
    let core: EndpointCore
    public let caller: Caller

    init(core: EndpointCore, caller: Caller) {
        self.core = core
        self.caller = caller
    }

    public var backend: any ItemsBackend { core.backend }

    public func success(text: String, structured: Value, widgetMeta: [String: Value] = [:]) -> CallTool.Result {
        // structuredContent goes to the model and the widget; _meta to the widget only
        // (Apps SDK reference, "Tool results").
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: Optional(structured), isError: false,
                        _meta: widgetMeta.isEmpty ? nil : Metadata(additionalFields: widgetMeta))
    }

    public func failure(_ message: String, meta: [String: Value] = [:]) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true,
                        _meta: meta.isEmpty ? nil : Metadata(additionalFields: meta))
    }

    public func invalidArguments(_ error: ArgumentError) -> CallTool.Result {
        failure(error.message)
    }

    /// The token lacks a scope the tool needs: ChatGPT reads `mcp/www_authenticate` and offers
    /// to reconnect with more access (Apps SDK auth guide; RFC 6750 §3.1 insufficient_scope).
    /// All of the app's item scopes are asked for, so the new token still works for every tool.
    public func insufficientScope(_ scope: String) -> CallTool.Result {
        let challenge = BearerChallengeHeader(resourceMetadata: core.resourceMetadataURL, error: "insufficient_scope",
                                              description: "This action needs the '\(scope)' permission; reconnect the app to grant it",
                                              scope: "read write")
        return failure("This action needs the '\(scope)' permission. Reconnect the app to grant it.",
                       meta: ["mcp/www_authenticate": .string(challenge.value)])
    }

    /// Maps what went wrong with the items backend to a tool result. A rejected Privy token
    /// revokes the grant, so this token and its refresh token stop working, and asks ChatGPT to
    /// sign the user in again.
    public func failure(for error: BackendError, tool: String) -> CallTool.Result {
        switch error {
        case .unauthorized(let status):
            var revoked = true
            do {
                try core.revoker(caller)
            } catch {
                revoked = false
                ServerLog.write(.error, "could not revoke the grant after the items API rejected the user's token",
                                ["request_id": .string(caller.requestID), "error": .string("\(error)")])
            }
            ServerLog.write(.warning, "the items API rejected the user's Privy token; the grant was revoked", [
                "request_id": .string(caller.requestID), "tool": .string(tool), "status": .int(status),
                "grant_revoked": .bool(revoked),
            ])
            let challenge = BearerChallengeHeader(resourceMetadata: core.resourceMetadataURL, error: "invalid_token",
                                                  description: "Your sign-in has expired; sign in again")
            return failure("Your sign-in has expired. Sign in again to keep using your items.",
                           meta: ["mcp/www_authenticate": .string(challenge.value)])
        case .notFound(let itemID):
            return failure("No such item: \(itemID.prefix(200))")
        case .unavailable, .badResponse:
            ServerLog.write(.warning, "items backend call failed", [
                "request_id": .string(caller.requestID), "tool": .string(tool), "backend": .string(backend.kind),
                "error": .string(error.description),
            ])
            return failure("Could not reach your items: \(error.description). Try again in a moment.")
        }
    }
}
