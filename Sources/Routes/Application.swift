import HTTPMessages

/// The whole HTTP application: the route table plus what every response gets.
public struct Application: Responder {
    private let router: Router

    public init(services: AppServices) {
        var router = Router()
        HealthRoute.register(on: &router, configuration: services.configuration)
        MetadataRoutes.register(on: &router, services: services)
        RegistrationRoutes.register(on: &router, services: services)
        AuthorizeRoute.register(on: &router, services: services)
        AuthorizationDecision.register(on: &router, services: services)
        IdentityRoute.register(on: &router, services: services)
        DevelopmentLoginRoute.register(on: &router, services: services)
        TokenRoutes.register(on: &router, services: services)
        MCPRoute.register(on: &router, services: services)
        self.router = router
    }

    public func respond(to request: Request) -> Response {
        var response = router.respond(to: request)
        response.headers.set("X-Request-Id", request.requestID)
        return response
    }
}
