import Storage

/// A validated authorization request (RFC 6749 §4.1.1 with PKCE and RFC 8707 resource).
public struct AuthorizationRequest: Sendable {
    public let client: OAuthClient
    public let redirectURI: String
    public let state: String?
    public let codeChallenge: String
    public let scopes: [String]
    public let resource: String

    /// Whether approving yields a refresh token, so the client stays connected for up to its
    /// lifetime (30 days) without asking again; the consent screen must say so exactly then.
    public var staysConnected: Bool { TokenIssuer.issuesRefreshTokenForEveryGrant || scopes.contains(Scope.offlineAccess) }

    /// Whether the client may be shown under its name without an "Unverified app" warning.
    public var clientVerified: Bool { ClientVerification.isVerified(client) }

    /// The parameters the consent UI posts back unchanged.
    public var parameters: [String: String] {
        var values = ["response_type": "code", "client_id": client.id, "redirect_uri": redirectURI,
                      "code_challenge": codeChallenge, "code_challenge_method": "S256",
                      "scope": Scope.join(scopes), "resource": resource]
        values["state"] = state
        return values
    }
}

/// Why an authorization request was refused, and whether the client may be told by redirect.
public enum AuthorizationFailure: Error, Equatable {
    /// The request cannot be tied to a client and redirect URI (a parameter is missing or
    /// repeated, or storage is down): show an error page, never redirect (RFC 6749 §4.1.2.1,
    /// first paragraph).
    case showPage(OAuthError)
    /// The client is unknown, or the redirect URI is not one it registered: never redirect either.
    /// Kept apart because the decision endpoints answer it as the original system did.
    case untrustedClient(OAuthError)
    /// Everything else goes back to the client's registered redirect URI.
    case redirect(OAuthError, redirectURI: String, state: String?)
}

/// Where an authorization request arrives, which decides two of its rules.
public enum AuthorizationStep: Sendable {
    /// `GET /authorize` from the browser: exactly RFC 6749 §4.1.1 (response_type required; the
    /// redirect URI may be left out by a client that registered only one, OAuth 2.1 §4.1.1).
    case browser
    /// `POST /authorize` and `POST /authorize/complete`, whose callers (the consent page, and
    /// clients of the original system) post the request back: `response_type` may be left out but
    /// must be `code` when present, and the redirect URI is always named, as the original required.
    case decision
}

/// Checks an authorization request in the order RFC 6749 §4.1.2.1 requires: client and redirect
/// URI first, since until both are trusted nothing may be sent to the redirect URI.
public struct AuthorizationValidator: Sendable {
    public let clients: ClientDirectory
    public let settings: OAuthSettings
    /// The longest `state` accepted, in UTF-8 bytes (2 KiB).
    public static let maxStateBytes = 2048

    public init(clients: ClientDirectory, settings: OAuthSettings) {
        self.clients = clients
        self.settings = settings
    }

    public func validate(_ pairs: [(name: String, value: String)],
                         step: AuthorizationStep = .browser) throws(AuthorizationFailure) -> AuthorizationRequest {
        let parameters: OAuthParameters
        do {
            parameters = try OAuthParameters(pairs: pairs)
        } catch {
            throw .showPage(error)
        }
        let clientID: String
        do {
            clientID = try parameters.required("client_id")
        } catch {
            throw .showPage(error)
        }
        let client: OAuthClient
        do {
            client = try clients.client(id: clientID)
        } catch {
            throw error.code == .invalidClient ? .untrustedClient(error) : .showPage(error)
        }
        if step == .decision && parameters["redirect_uri"] == nil {
            throw .showPage(.invalidRequest("missing parameter 'redirect_uri'"))
        }
        let redirectURI = try redirectURI(parameters["redirect_uri"], client: client)
        let state = parameters["state"]
        func refuse(_ error: OAuthError) -> AuthorizationFailure { .redirect(error, redirectURI: redirectURI, state: state) }

        // RFC 9101 §6.1 and OpenID Connect Core §3.1.2.6: a request object is refused, never
        // ignored, since its claims would override the plain parameters the user consents to.
        if parameters["request"] != nil {
            throw refuse(OAuthError(.requestNotSupported, "request objects (the request parameter) are not supported"))
        }
        if parameters["request_uri"] != nil {
            throw refuse(OAuthError(.requestURINotSupported, "the request_uri parameter is not supported"))
        }
        // `state` travels back in the redirect URL; bounded so it cannot make that URL unusable.
        if let state, state.utf8.count > Self.maxStateBytes {
            throw refuse(.invalidRequest("state is longer than \(Self.maxStateBytes) bytes"))
        }
        let responseType = parameters["response_type"] ?? (step == .decision ? "code" : nil)
        guard let responseType else { throw refuse(.invalidRequest("missing parameter 'response_type'")) }
        guard responseType == "code" else {
            throw refuse(OAuthError(.unsupportedResponseType, "only response_type=code is supported"))
        }
        // RFC 7636 §4.4.1 and OAuth 2.1 §4.1.1: PKCE is required, and only S256 is accepted.
        guard let challenge = parameters["code_challenge"] else { throw refuse(.invalidRequest("code_challenge is required (PKCE)")) }
        guard let method = parameters["code_challenge_method"] else {
            throw refuse(.invalidRequest("code_challenge_method is required and must be S256"))
        }
        guard method == "S256" else { throw refuse(.invalidRequest("code_challenge_method must be S256")) }
        guard PKCE.isValidChallenge(challenge) else { throw refuse(.invalidRequest("code_challenge is not a base64url SHA-256 value")) }

        let scopes: [String]
        let resource: String
        do {
            scopes = try ScopePolicy(settings: settings).grantable(requested: parameters["scope"], clientID: client.id)
            resource = try ResourcePolicy(settings: settings).resolve(parameters["resource"])
        } catch {
            throw refuse(error)
        }
        return AuthorizationRequest(client: client, redirectURI: redirectURI, state: state, codeChallenge: challenge,
                                    scopes: scopes, resource: resource)
    }

    /// OAuth 2.1 §4.1.1: the redirect URI is required unless the client registered exactly one.
    private func redirectURI(_ requested: String?, client: OAuthClient) throws(AuthorizationFailure) -> String {
        guard let requested else {
            if client.redirectURIs.count == 1 && client.redirectURIPrefixes.isEmpty { return client.redirectURIs[0] }
            throw .showPage(.invalidRequest("redirect_uri is required for this client"))
        }
        guard RedirectURIPolicy.matches(requested, registered: client.redirectURIs, prefixes: client.redirectURIPrefixes) else {
            throw .untrustedClient(.invalidRequest("redirect_uri is not registered for this client"))
        }
        return requested
    }
}
