import HTTPMessages
import OAuth
import WebRules

/// 401/403 answers for protected routes with the `WWW-Authenticate` header clients need to find
/// the authorization server (RFC 6750 §3, RFC 9728 §5.1).
struct BearerChallenge: HTTPResponseError {
    let status: Int
    let error: String?
    let description: String?
    let scope: String?
    let resourceMetadata: String

    static func failure(_ problem: BearerProblem, resourceMetadata: String, scope: String) -> any HTTPResponseError {
        switch problem {
        case .missing:
            return BearerChallenge(status: 401, error: nil, description: nil, scope: scope, resourceMetadata: resourceMetadata)
        case .invalid(let reason):
            return BearerChallenge(status: 401, error: "invalid_token", description: reason, scope: scope, resourceMetadata: resourceMetadata)
        case .unavailable:
            return HTTPError(503, code: "temporarily_unavailable", message: "authorization storage is unavailable, try again",
                             headers: HTTPHeaders([("Retry-After", "2")]))
        }
    }

    static func insufficientScope(_ scope: String, resourceMetadata: String) -> BearerChallenge {
        BearerChallenge(status: 403, error: "insufficient_scope", description: "this request needs the scope '\(scope)'",
                        scope: scope, resourceMetadata: resourceMetadata)
    }

    var headerValue: String {
        BearerChallengeHeader(resourceMetadata: resourceMetadata, error: error, description: description, scope: scope).value
    }

    func response() -> Response {
        let body = Body(error: error ?? "unauthorized", error_description: description ?? "a Bearer access token is required")
        return .json(body, status: status, headers: HTTPHeaders([("WWW-Authenticate", headerValue), ("Cache-Control", "no-store")]))
    }

    private struct Body: Encodable {
        let error: String
        let error_description: String
    }
}
