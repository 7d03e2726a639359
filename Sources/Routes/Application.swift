import Configuration

/// The whole HTTP application: the route table plus what every response gets.
public struct Application: Responder {
    private let router: Router

    public init(configuration: Configuration) {
        var router = Router()
        HealthRoute.register(on: &router, configuration: configuration)
        self.router = router
    }

    public func respond(to request: Request) -> Response {
        var response = router.respond(to: request)
        response.headers.set("X-Request-Id", request.requestID)
        return response
    }
}
