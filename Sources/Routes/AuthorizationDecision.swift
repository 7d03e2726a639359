import HTTPMessages
import OAuth

/// The user's decision on an authorization request, as the original system's two endpoints took
/// it (form-encoded or JSON), answered `{code, redirect_uri, state}` so the caller sends the
/// browser on itself:
///
/// - `POST /authorize` is the consent page's decision: `privy_user_id`, `privy_token` and
///   `user_consent` are required.
/// - `POST /authorize/complete` is the programmatic completion: calling it is the user's approval,
///   so `user_consent` may be left out (a `false` is still a denial), `privy_user_id` is optional,
///   and `fallback_token` is tried when `privy_token` does not verify.
///
/// The original's answers are kept where it had them: an unknown client or an unregistered
/// redirect URI is 400 `invalid_client`, a missing field 400 `invalid_request`, a `privy_user_id`
/// that is not the token's user 400 `invalid_request`, a token that does not verify 401
/// `invalid_token`. Every check we added stays (exact redirect match, PKCE S256, scopes, RFC 8707
/// `resource`, RFC 9207 `iss`, single-use codes) with its own answer.
struct AuthorizationDecision {
    /// Whether the caller must say `user_consent`, and who it must name.
    let requiresConsentAndUser: Bool

    static let consent = AuthorizationDecision(requiresConsentAndUser: true)
    static let programmatic = AuthorizationDecision(requiresConsentAndUser: false)

    static func register(on router: inout Router, services: AppServices) {
        router.post(OAuthEndpoint.authorize) { request in try consent.answer(request, services: services) }
        router.post("/authorize/complete") { request in try programmatic.answer(request, services: services) }
    }

    /// The login and consent fields; everything else is the authorization request posted back.
    private static let decisionFields: Set<String> = ["privy_token", "fallback_token", "privy_user_id", "user_consent"]

    func answer(_ request: Request, services: AppServices) throws -> Response {
        let pairs = try request.oauthPairs()
        let decision = try OAuthParameters(pairs: pairs.filter { Self.decisionFields.contains($0.name) })
        let validated: AuthorizationRequest
        do {
            validated = try services.oauth.authorizationValidator.validate(
                pairs.filter { !Self.decisionFields.contains($0.name) }, step: .decision)
        } catch {
            return try Self.refusal(error, issuer: services.oauth.settings.issuer)
        }

        let approved = try consent(decision["user_consent"])
        let privyToken = decision["privy_token"]
        if requiresConsentAndUser {
            _ = try decision.required("privy_user_id")
            _ = try decision.required("privy_token")
        }
        let completion = services.oauth.completion
        guard approved else {
            let outcome = completion.deny(validated)
            return .oauthJSON(Denial(error: AuthorizationCompletion.denial.code.rawValue,
                                     error_description: AuthorizationCompletion.denial.description,
                                     redirect_uri: outcome.redirectURI, state: outcome.state))
        }
        guard let privyToken else { throw OAuthError.invalidRequest("missing parameter 'privy_token'") }
        let outcome = try completion.approve(validated, login: .init(privyToken: privyToken,
                                                                      fallbackToken: decision["fallback_token"],
                                                                      claimedUserID: decision["privy_user_id"]),
                                          now: services.clock())
        return .oauthJSON(Approval(code: outcome.code ?? "", redirect_uri: outcome.redirectURI, state: outcome.state))
    }

    /// `user_consent` as the original's clients send it: a JSON boolean, or its text in a form.
    /// Left out, the programmatic completion counts the call itself as approval.
    private func consent(_ value: String?) throws(OAuthError) -> Bool {
        guard let value else {
            if requiresConsentAndUser { throw OAuthError.invalidRequest("missing parameter 'user_consent'") }
            return true
        }
        switch value.lowercased() {
        case "true", "approve", "approved", "allow", "yes", "1": return true
        case "false", "deny", "denied", "no", "0": return false
        default: throw OAuthError.invalidRequest("user_consent must be true or false")
        }
    }

    /// A request that cannot be completed. Nothing is ever sent to an untrusted redirect URI
    /// (RFC 6749 §4.1.2.1); a refusal the client may hear about names its registered redirect URI
    /// with error, state and iss, beside the error itself.
    private static func refusal(_ failure: AuthorizationFailure, issuer: String) throws -> Response {
        switch failure {
        case .showPage(let error):
            throw error
        case .untrustedClient(let error):
            // The original system's status: 400, not RFC 6749 §5.2's 401, which is about a
            // client failing authentication at the token endpoint.
            throw OAuthError(.invalidClient, error.description, status: 400)
        case .redirect(let error, let redirectURI, let state):
            let location = AuthorizationCompletion.errorRedirect(error, redirectURI: redirectURI, state: state, issuer: issuer)
            return .oauthJSON(AuthorizeRoute.RedirectError(error: error.code.rawValue, error_description: error.description,
                                                            redirect_uri: location), status: error.status)
        }
    }

    struct Approval: Encodable {
        let code: String
        let redirect_uri: String
        /// Left out when the request had none (synthesized Encodable skips nil optionals).
        let state: String?
    }

    struct Denial: Encodable {
        let error: String
        let error_description: String
        let redirect_uri: String
        let state: String?
    }
}
