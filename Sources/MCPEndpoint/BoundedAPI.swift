import Backend
import Foundation
import Storage

/// The user's API as every tool reaches it: a call is made only within what is left of the
/// request's time limit (`Caller.deadline`) and of the user's budget of calls this minute, so a
/// code tool calling `context.api` keeps to the same rules as a manifest tool.
///
/// Over budget, the call is a tool error saying when to retry (`ToolContext.failure(for:tool:)`),
/// not an HTTP 429 of the whole request: the request itself was within its own budget, other
/// items of a batch may not call the API at all, and a tool result is what ChatGPT shows the user.
struct BoundedAPI: APITransport {
    let api: any APITransport
    let budget: CallBudget

    var kind: String { api.kind }

    func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse {
        let remaining = caller.deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw .unavailable("the request's time limit passed before this call") }
        if case .exhausted(let seconds) = budget.spend(1, userID: caller.userID, requestID: caller.requestID) {
            throw .overBudget(retryAfter: seconds)
        }
        var request = request
        request.timeout = min(request.timeout ?? remaining, remaining)
        return try api.send(request, for: caller)
    }
}
