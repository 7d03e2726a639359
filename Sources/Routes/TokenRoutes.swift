import HTTPMessages
import OAuth
import Storage

/// Token endpoint, revocation, introspection and the original system's Privy token exchange.
enum TokenRoutes {
    static func register(on router: inout Router, services: AppServices) {
        let oauth = services.oauth
        router.post(OAuthEndpoint.token) { request in
            .oauthJSON(try oauth.tokenEndpoint.exchange(try request.oauthParameters(), now: services.clock()))
        }
        router.post(OAuthEndpoint.revoke) { request in
            try oauth.revocation.revoke(try request.oauthParameters(), now: services.clock())
            return Response(status: 200, headers: .noStore)
        }
        router.post(OAuthEndpoint.introspect) { request in
            let caller = try authenticated(request, services: services)
            return .oauthJSON(try oauth.introspection.introspect(try request.oauthParameters(), caller: caller,
                                                                 now: services.clock()))
        }
        router.post("/token/privy/access-token") { request in
            let caller = try services.bearerGate.require(Scope.privyTokenExchange, for: request)
            return .oauthJSON(PrivyExchange(privy_access_token: caller.privyAccessToken, token_type: "Bearer",
                                            privy_user_id: caller.userID))
        }
    }

    /// Any valid access token of ours (RFC 7662 §2.1 lets the resource authenticate with one).
    static func authenticated(_ request: Request, services: AppServices) throws -> Caller {
        switch services.oauth.bearer.authenticate(authorization: request.headers["Authorization"], now: services.clock()) {
        case .success(let context): return context
        case .failure(let problem):
            throw BearerChallenge.failure(problem, resourceMetadata: services.resourceMetadataURL,
                                               scope: services.oauth.settings.challengeScope)
        }
    }

    struct PrivyExchange: Encodable {
        let privy_access_token: String
        let token_type: String
        let privy_user_id: String
    }
}
