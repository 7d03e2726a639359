import HTTPMessages
import MCP
import Storage
import WebRules

/// What a caller whose token lacks a tool's scope is told, and how.
///
/// One endpoint serves two kinds of clients that expect different signals:
/// - ChatGPT documents its own: the call answers (HTTP 200) with a tool error whose
///   `_meta["mcp/www_authenticate"]` holds the challenge, and ChatGPT offers to reconnect (Apps SDK
///   auth guide). An HTTP 403 would show in ChatGPT as a failed call instead.
/// - Every other MCP client follows the MCP authorization spec (scope challenge handling) and
///   RFC 6750 §3.1: an HTTP 403 with `WWW-Authenticate: Bearer error="insufficient_scope"`, after
///   which it asks the user for the named scopes and retries. A tool result means nothing to it.
///
/// The token says which client calls: its `client_id` is the built-in ChatGPT connector or a
/// client registered with ChatGPT's redirect URIs (`isChatGPT`, asked only when a scope is
/// missing, so other calls pay nothing). Both signals name every scope of the app, so the one
/// consent that follows covers every tool and the new token keeps what the old one could do.
struct StepUpChallenge: Sendable {
    let resourceMetadataURL: String
    /// Every scope the app declares.
    let appScopes: [String]
    let isChatGPT: @Sendable (Caller) -> Bool

    func header(missing scope: String) -> BearerChallengeHeader {
        BearerChallengeHeader(resourceMetadata: resourceMetadataURL, error: "insufficient_scope",
                              description: "This action needs the '\(scope)' permission; reconnect the app to grant it",
                              scope: appScopes.joined(separator: " "))
    }

    /// The HTTP 403 a standard client acts on; the body is a JSON-RPC error for the request's id,
    /// so a client reading only the body still learns why.
    func forbidden(id: ID, missing scope: String) -> HTTPMessages.Response {
        var response = JSONRPCCodec.errorReply(id: id, code: JSONRPCCodec.invalidRequestCode,
                                               message: "Forbidden: this tool needs the '\(scope)' scope").response(status: 403)
        response.headers.add("WWW-Authenticate", header(missing: scope).value)
        return response
    }
}
