import OAuth
import Testing

@Suite struct AuthorizationValidatorTests {
    let fixture = Fixture()

    func failure(_ changes: [String: String?]) -> AuthorizationFailure? {
        do {
            _ = try fixture.server.authorizationValidator.validate(fixture.authorizePairs(challenge: Fixture.pkce().challenge, changes))
            return nil
        } catch {
            return error
        }
    }

    @Test func validRequestGetsDefaultsForScopeAndResource() throws {
        let request = try fixture.server.authorizationValidator.validate(fixture.authorizePairs(challenge: Fixture.pkce().challenge))
        #expect(request.scopes == ["read", "write", "offline_access"])
        #expect(request.resource == "https://app.example.com/mcp")
        #expect(request.state == "xyz")
    }

    @Test(arguments: [
        ["client_id": "nobody"], ["client_id": nil], ["redirect_uri": "https://evil.example/callback"],
        ["redirect_uri": "https://client.example/callback/"], ["redirect_uri": "https://CLIENT.example/callback"],
        ["redirect_uri": "https://client.example/callback?x=1"], ["redirect_uri": "https://client.example:444/callback"],
        ["redirect_uri": "https://user@client.example/callback"], ["redirect_uri": "https://client.example/callback#f"],
        ["redirect_uri": "https://client.example/%63allback"],
    ] as [[String: String?]])
    func untrustedClientOrRedirectShowsAPage(_ changes: [String: String?]) {
        switch failure(changes) {
        case .showPage(let error):
            // Only a missing client id: nothing names a client to distrust.
            #expect(changes == ["client_id": nil] && error.code == .invalidRequest, "\(changes)")
        case .untrustedClient:
            #expect(changes != ["client_id": nil], "\(changes)")
        default:
            Issue.record("expected an error page for \(changes)")
        }
    }

    /// The decision endpoints' rules: response_type may be left out (but must be `code`), and
    /// the redirect URI must be named even by a client that registered only one.
    @Test func decisionStepRules() throws {
        let challenge = Fixture.pkce().challenge
        let validator = fixture.server.authorizationValidator
        #expect(try validator.validate(fixture.authorizePairs(challenge: challenge, ["response_type": nil]),
                                       step: .decision).redirectURI == Fixture.redirectURI)
        func failure(_ changes: [String: String?]) -> AuthorizationFailure? {
            do {
                _ = try validator.validate(fixture.authorizePairs(challenge: challenge, changes), step: .decision)
                return nil
            } catch {
                return error
            }
        }
        guard case .redirect(let wrongType, _, _) = failure(["response_type": "token"]) else {
            Issue.record("response_type token must be refused")
            return
        }
        #expect(wrongType.code == .unsupportedResponseType)
        guard case .showPage(let missing) = failure(["redirect_uri": nil]) else {
            Issue.record("a missing redirect_uri must be refused without a redirect")
            return
        }
        #expect(missing.code == .invalidRequest)
        // The browser step keeps RFC 6749: the one registered URI is used when none is named.
        #expect(try validator.validate(fixture.authorizePairs(challenge: challenge, ["redirect_uri": nil])).redirectURI
                == Fixture.redirectURI)
    }

    @Test(arguments: [
        (["response_type": "token"], OAuthError.Code.unsupportedResponseType),
        (["response_type": nil], .invalidRequest),
        (["code_challenge": nil], .invalidRequest),
        (["code_challenge_method": "plain"], .invalidRequest),
        (["code_challenge_method": nil], .invalidRequest),
        (["code_challenge": "short"], .invalidRequest),
        (["scope": "admin"], .invalidScope),
        (["scope": "privy:token:exchange"], .invalidScope),
        (["resource": "https://other.example/mcp"], .invalidTarget),
        // RFC 9101 §6.1 / OpenID Connect Core §3.1.2.6: refused, never ignored.
        (["request": "eyJhbGciOiJub25lIn0.e30."], .requestNotSupported),
        (["request_uri": "urn:ietf:params:oauth:request_uri:abc"], .requestURINotSupported),
        (["state": String(repeating: "s", count: 2049)], .invalidRequest),
        // 683 three-byte characters: 2049 bytes, though only 683 characters.
        (["state": String(repeating: "€", count: 683)], .invalidRequest),
    ] as [([String: String?], OAuthError.Code)])
    func otherErrorsRedirectWithState(_ changes: [String: String?], _ code: OAuthError.Code) {
        guard case .redirect(let error, let redirectURI, let state) = failure(changes) else {
            Issue.record("expected a redirect for \(changes)")
            return
        }
        #expect(error.code == code)
        #expect(redirectURI == Fixture.redirectURI)
        #expect(state == changes["state"].flatMap { $0 } ?? "xyz")
    }

    @Test func stateOfExactly2048BytesIsAccepted() throws {
        let state = String(repeating: "s", count: 2048)
        let pairs = fixture.authorizePairs(challenge: Fixture.pkce().challenge, ["state": state])
        #expect(try fixture.server.authorizationValidator.validate(pairs).state == state)
    }

    /// Before the client and redirect URI are trusted, a request object gets the error page like
    /// any other request: nothing is sent to an unverified redirect URI (RFC 6749 §4.1.2.1).
    @Test func requestObjectOfAnUnknownClientShowsAPage() {
        guard case .untrustedClient = failure(["request": "eyJhbGciOiJub25lIn0.e30.", "client_id": "nobody"]) else {
            Issue.record("an unknown client must get the error page")
            return
        }
    }

    /// Every grant yields a refresh token, so the consent screen says "stay connected" also for
    /// a request that does not name offline_access.
    @Test func aGrantWithoutOfflineAccessStillStaysConnected() throws {
        let pairs = fixture.authorizePairs(challenge: Fixture.pkce().challenge, ["scope": "read"])
        #expect(try fixture.server.authorizationValidator.validate(pairs).staysConnected)
        let (code, verifier) = try fixture.code(scope: "read")
        #expect(try fixture.exchange(code, verifier: verifier).refresh_token != nil)
    }

    @Test func openIDScopesAreDroppedAndResourceTrailingSlashTolerated() throws {
        let pairs = fixture.authorizePairs(challenge: Fixture.pkce().challenge,
                                           ["scope": "openid read email", "resource": "https://app.example.com/mcp/"])
        let request = try fixture.server.authorizationValidator.validate(pairs)
        #expect(request.scopes == ["read"])
        #expect(request.resource == "https://app.example.com/mcp")
    }

    @Test func repeatedParametersAreRefused() {
        var pairs = fixture.authorizePairs(challenge: Fixture.pkce().challenge)
        pairs.append((name: "state", value: "second"))
        #expect(throws: AuthorizationFailure.self) { try fixture.server.authorizationValidator.validate(pairs) }
    }

    @Test func exchangeScopeOnlyForConfiguredClients() throws {
        let fixture = Fixture(exchangeClients: ["chatgpt-connector"])
        let challenge = Fixture.pkce().challenge
        let refused = fixture.authorizePairs(challenge: challenge, ["scope": "read privy:token:exchange"])
        #expect(throws: AuthorizationFailure.self) { try fixture.server.authorizationValidator.validate(refused) }
        let allowed = fixture.authorizePairs(challenge: challenge, [
            "scope": "read privy:token:exchange", "client_id": "chatgpt-connector",
            "redirect_uri": "https://chatgpt.com/connector_platform_oauth_redirect",
        ])
        #expect(try fixture.server.authorizationValidator.validate(allowed).scopes == ["read", "privy:token:exchange"])
    }
}
