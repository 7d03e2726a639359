import HTTPMessages
import OAuth

/// Discovery documents (RFC 8414, RFC 9728, RFC 7517), at every path clients are known to try.
enum MetadataRoutes {
    static func register(on router: inout Router, services: AppServices) {
        let metadata = services.oauth.metadata
        let settings = services.oauth.settings
        let cached = HTTPHeaders([("Cache-Control", "public, max-age=300"), ("Access-Control-Allow-Origin", "*")])

        let authorizationServer = Response.json(metadata.authorizationServer, headers: cached)
        for path in ["/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server/mcp",
                     "/mcp/.well-known/oauth-authorization-server"] {
            router.get(path) { _ in authorizationServer }
        }

        // RFC 9728 §3.1: the path-suffixed document describes /mcp; the root one the origin.
        let mcpResource = Response.json(metadata.protectedResource(resource: settings.mcpResource), headers: cached)
        for path in [OAuthEndpoint.protectedResourceMetadata, "/mcp/.well-known/oauth-protected-resource"] {
            router.get(path) { _ in mcpResource }
        }
        let rootResource = Response.json(metadata.protectedResource(resource: settings.issuer), headers: cached)
        router.get("/.well-known/oauth-protected-resource") { _ in rootResource }

        // No OpenID Connect here: a clear 404 rather than a partial document, which breaks clients.
        let noOpenID = HTTPError(404, code: "not_found", message: "this server does not provide OpenID Connect discovery")
        for path in ["/.well-known/openid-configuration", "/.well-known/openid-configuration/mcp",
                     "/mcp/.well-known/openid-configuration"] {
            router.get(path) { _ in throw noOpenID }
        }

        let jwks = Response.json(JWKSDocument(keys: services.oauth.keys.jwks), headers: cached)
        router.get(OAuthEndpoint.jwks) { _ in jwks }
    }

    struct JWKSDocument: Encodable {
        let keys: [[String: String]]
    }
}
