import Backend
import Foundation
import MCP
import ServerLog
import Storage
import WebRules

/// What a tool call knows: the caller and the shared parts of the endpoint. Also turns the
/// failures every tool shares into results ChatGPT understands.
public struct ToolContext: Sendable {
    let core: EndpointCore
    public let caller: Caller

    init(core: EndpointCore, caller: Caller) {
        self.core = core
        self.caller = caller
    }

    /// The user's API (`BACKEND_API_URL`, or the built-in demo); calls go with the caller's Privy
    /// token, within the request's time limit and the user's budget (`BoundedAPI`), whichever way
    /// a tool reaches it.
    public var api: any APITransport { BoundedAPI(api: core.api, budget: core.backendBudget) }

    /// One call on the user's API as the caller (`api`, with its limits).
    public func call(_ request: APIRequest) throws(APIError) -> APIResponse {
        try api.send(request, for: caller)
    }

    public func success(text: String, structured: Value?, widgetMeta: [String: Value] = [:]) -> CallTool.Result {
        // structuredContent goes to the model and the widget; _meta to the widget only
        // (Apps SDK reference, "Tool results").
        CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured, isError: false,
                        _meta: widgetMeta.isEmpty ? nil : Metadata(additionalFields: widgetMeta))
    }

    public func failure(_ message: String, meta: [String: Value] = [:]) -> CallTool.Result {
        CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true,
                        _meta: meta.isEmpty ? nil : Metadata(additionalFields: meta))
    }

    /// The token lacks a scope the tool needs, as ChatGPT is told: ChatGPT reads
    /// `mcp/www_authenticate` and offers to reconnect with more access (Apps SDK auth guide;
    /// RFC 6750 §3.1 insufficient_scope). Other clients get an HTTP 403 (`StepUpChallenge`).
    public func insufficientScope(_ scope: String) -> CallTool.Result {
        failure("This action needs the '\(scope)' permission. Reconnect the app to grant it.",
                meta: ["mcp/www_authenticate": .string(core.stepUp.header(missing: scope).value)])
    }

    /// The API answered 401 or 403: it no longer accepts the user's Privy token. The grant is
    /// revoked, so this token and its refresh token stop working, and ChatGPT is asked to sign
    /// the user in again.
    public func signInAgain(status: Int, tool: String) -> CallTool.Result {
        var revoked = true
        do {
            try core.revoker(caller)
        } catch {
            revoked = false
            ServerLog.write(.error, "could not revoke the grant after the API rejected the user's token",
                            ["request_id": .string(caller.requestID), "error": .string("\(error)")])
        }
        ServerLog.write(.warning, "the API rejected the user's Privy token; the grant was revoked", [
            "request_id": .string(caller.requestID), "tool": .string(tool), "status": .int(status), "grant_revoked": .bool(revoked),
        ])
        let challenge = BearerChallengeHeader(resourceMetadata: core.resourceMetadataURL, error: "invalid_token",
                                              description: "Your sign-in has expired; sign in again")
        return failure("Your sign-in has expired. Sign in again to keep using this app.",
                       meta: ["mcp/www_authenticate": .string(challenge.value)])
    }

    /// The API could not be reached or gave an unusable answer, or the call was over budget.
    public func failure(for error: APIError, tool: String) -> CallTool.Result {
        if case .overBudget(let seconds) = error {
            ServerLog.write(.warning, "API call over the user's budget", [
                "request_id": .string(caller.requestID), "tool": .string(tool), "retry_after": .int(seconds),
            ])
            return failure("Too many requests to the app this minute. Try again in \(seconds) seconds.",
                           meta: ["retryAfterSeconds": .int(seconds)])
        }
        ServerLog.write(.warning, "API call failed", [
            "request_id": .string(caller.requestID), "tool": .string(tool), "api": .string(core.api.kind), "error": .string(error.description),
        ])
        return failure("Could not complete the request: \(error.description). Try again in a moment.")
    }
}
