import Foundation
import HTTPMessages
import MCPEndpoint
import OAuth
import Storage

/// Answers requests whose caller the bearer gate has established.
public protocol CallerResponder: Sendable {
    func respond(to request: Request, caller: Caller) -> Response
}

/// Middleware: a present `Origin` header must be allowed, else `rejection` (DNS-rebinding
/// protection, MCP 2025-11-25 transports §Security Warning); the request goes no further.
struct OriginCheck<Next: Responder>: Responder {
    let policy: OriginPolicy
    let rejection: Response
    let next: Next

    func respond(to request: Request) -> Response {
        guard policy.allows(request.headers["Origin"]) else { return rejection }
        return next.respond(to: request)
    }
}

/// Middleware: a valid access token with one of `anyOf`, else the challenge of `BearerGate`
/// (401 or 403 with `WWW-Authenticate`, RFC 6750 §3); the caller it establishes goes on to `next`.
struct BearerGated<Next: CallerResponder>: Responder {
    let gate: BearerGate
    let anyOf: [String]
    /// The scope the challenges name.
    let challengeScope: String
    let next: Next

    func respond(to request: Request) -> Response {
        var caller: Caller
        do {
            caller = try gate.require(anyOf: anyOf, challengeScope: challengeScope, for: request)
        } catch let error as any HTTPResponseError {
            return error.response()
        } catch {
            return HTTPError(500, code: "server_error", message: "internal error").response()
        }
        caller.requestID = request.requestID
        return next.respond(to: request, caller: caller)
    }
}

/// Authenticates a request and checks one scope, or throws the matching challenge.
struct BearerGate {
    let bearer: BearerAuthenticator
    let resourceMetadata: String
    let clock: @Sendable () -> Date

    func require(_ scope: String, for request: Request) throws -> Caller {
        try require(anyOf: [scope], challengeScope: scope, for: request)
    }

    func require(anyOf scopes: [String], challengeScope: String, for request: Request) throws -> Caller {
        switch bearer.authenticate(authorization: request.headers["Authorization"], now: clock()) {
        case .failure(let problem):
            throw BearerChallenge.failure(problem, resourceMetadata: resourceMetadata, scope: challengeScope)
        case .success(let context):
            guard scopes.contains(where: context.scopes.contains) else {
                throw BearerChallenge.insufficientScope(challengeScope, resourceMetadata: resourceMetadata)
            }
            return context
        }
    }
}
