/// Everything that answers requests: handlers, the router and the whole application.
/// Synchronous on purpose: each FastCGI worker thread owns one request at a time and may block
/// on the database or an upstream API without starving anyone else.
public protocol Responder: Sendable {
    func respond(to request: Request) -> Response
}

/// A route handler; it may throw an `HTTPResponseError` to answer with that error.
public typealias Handler = @Sendable (Request) throws -> Response
