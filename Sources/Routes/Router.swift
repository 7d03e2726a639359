import HTTPMessages

/// Exact-path routing with per-method handlers. An unknown path is a 404; a known path with
/// another method is a 405 that lists the methods it does take (RFC 9110 §15.5.6).
public struct Router: Responder {
    private var routes: [String: [String: Handler]] = [:]

    public init() {}

    public mutating func add(_ method: String, _ path: String, _ handler: @escaping Handler) {
        routes[path, default: [:]][method.uppercased()] = handler
    }

    public mutating func get(_ path: String, _ handler: @escaping Handler) { add("GET", path, handler) }
    public mutating func post(_ path: String, _ handler: @escaping Handler) { add("POST", path, handler) }

    public func respond(to request: Request) -> Response {
        guard let methods = routes[request.path] else {
            return HTTPError(404, code: "not_found", message: "no route for \(request.path.prefix(200))").response()
        }
        let method = request.method == "HEAD" && methods["HEAD"] == nil ? "GET" : request.method
        guard let handler = methods[method] else {
            let allowed = methods.keys.sorted().joined(separator: ", ")
            return HTTPError(405, code: "method_not_allowed", message: "\(request.method) is not allowed here",
                             headers: HTTPHeaders([("Allow", allowed)])).response()
        }
        do {
            var response = try handler(request)
            if request.method == "HEAD" { response.body = [] }
            return response
        } catch let error as any HTTPResponseError {
            return error.response()
        } catch {
            return HTTPError(500, code: "server_error", message: "internal error").response()
        }
    }
}
