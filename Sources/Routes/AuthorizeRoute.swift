import Configuration
import Foundation
import HTTPMessages
import OAuth
import Privy
import Storage
import WebRules

/// `GET /authorize`: the browser step of the authorization code flow (RFC 6749 §4.1.1).
///
/// Validates the request and answers the consent UI page (or, for the UI's own fetch with
/// `Accept: application/json`, what the page shows). The user's decision is posted to
/// `AuthorizationDecision`; the page also asks `IdentityRoute` and, locally, `DevelopmentLoginRoute`.
enum AuthorizeRoute {
    static func register(on router: inout Router, services: AppServices) {
        router.get(OAuthEndpoint.authorize) { request in try show(request, services: services) }
    }

    static func show(_ request: Request, services: AppServices) throws -> Response {
        let wantsJSON = request.headers["Accept"]?.contains("application/json") ?? false
        let validated: AuthorizationRequest
        do {
            validated = try services.oauth.authorizationValidator.validate(request.queryParameters().pairs)
        } catch let error as HTTPError {
            return wantsJSON ? error.asOAuthError.response() : page(services, status: 400)
        } catch let failure as AuthorizationFailure {
            switch failure {
            case .showPage(let error), .untrustedClient(let error):
                return wantsJSON ? error.response() : page(services, status: error.status == 503 ? 503 : 400)
            case .redirect(let error, let redirectURI, let state):
                let location = AuthorizationCompletion.errorRedirect(error, redirectURI: redirectURI, state: state,
                                                                     issuer: services.oauth.settings.issuer)
                return wantsJSON ? .oauthJSON(RedirectError(error: error.code.rawValue, error_description: error.description,
                                                            redirect_uri: location), status: 400)
                    : Response(status: 302, headers: HTTPHeaders([("Location", location), ("Cache-Control", "no-store")]))
            }
        }
        return wantsJSON ? .oauthJSON(ConsentDetails(validated, services: services)) : page(services, status: 200)
    }

    /// The UI page; it fetches the details (or the error) itself with the same query.
    static func page(_ services: AppServices, status: Int) -> Response {
        var headers = HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")])
        headers.add("X-Frame-Options", "DENY")
        let body = services.authorizePage ?? Array("""
            <!doctype html><html lang="en"><title>Sign in</title><p>The sign-in page is not built. Run <code>make web</code>.</p></html>
            """.utf8)
        return Response(status: status, headers: headers, body: body)
    }

    struct RedirectError: Encodable {
        let error: String
        let error_description: String
        let redirect_uri: String
    }

    /// What the consent screen shows and posts back.
    struct ConsentDetails: Encodable {
        struct ScopeText: Encodable {
            let name: String
            let description: String
        }
        struct Login: Encodable {
            let mode: String
            let app_id: String?
            let sdk_url: String?
            /// Subresource Integrity metadata of the SDK module, when configured.
            let sdk_integrity: String?
        }

        let client_id: String
        let client_name: String
        /// False when the name imitates a well-known product the client is not known to be: the
        /// page then says "Unverified app" and shows `redirect_host` prominently.
        let client_verified: Bool
        let redirect_host: String
        /// The scopes granted, without `offline_access`, which `stay_connected` speaks for.
        let scopes: [ScopeText]
        /// The line saying the client stays connected, present exactly when approving yields a
        /// refresh token (left out of the JSON otherwise: synthesized Encodable skips nil).
        let stay_connected: String?
        let login: Login
        let request: [String: String]

        init(_ request: AuthorizationRequest, services: AppServices) {
            let configuration = services.configuration
            let settings = services.oauth.settings
            client_id = request.client.id
            client_name = request.client.name ?? request.client.id
            client_verified = request.clientVerified
            redirect_host = AbsoluteURL(request.redirectURI)?.displayHost ?? request.redirectURI
            scopes = request.scopes.filter { $0 != Scope.offlineAccess }
                .map { ScopeText(name: $0, description: settings.describe($0)) }
            stay_connected = request.staysConnected ? settings.describe(Scope.offlineAccess) : nil
            login = services.developmentLogin == nil
                ? Login(mode: "privy", app_id: configuration.privyAppID, sdk_url: configuration.privySDKURL,
                        sdk_integrity: configuration.privySDKIntegrity)
                : Login(mode: "development", app_id: nil, sdk_url: nil, sdk_integrity: nil)
            self.request = request.parameters
        }
    }
}
