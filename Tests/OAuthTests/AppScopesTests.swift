import OAuth
import Testing

/// The app's scopes come from its manifest: they decide what a request naming no scope gets,
/// what the metadata advertises, what 401 challenges name and the consent screen's words.
@Suite struct AppScopesTests {
    let settings = OAuthSettings(issuer: Fixture.issuer, appScopes: Fixture.appScopes)

    /// offline_access is granted by default and accepted when asked for, but not advertised
    /// (MCP 2026-07-28 authorization: servers SHOULD NOT list it in scopes_supported).
    @Test func defaultScopesAreTheAppsThenStayingConnected() {
        #expect(settings.defaultScopes == ["read", "write", "offline_access"])
        #expect(settings.scopesSupported == ["read", "write"])
        #expect(settings.grantableScopes == ["read", "write", "offline_access"])
    }

    /// The exchange scope is advertised only when some client may use it, and never granted by default.
    @Test func exchangeScopeIsSupportedOnlyWithExchangeClients() {
        let exchanging = OAuthSettings(issuer: Fixture.issuer, appScopes: Fixture.appScopes, exchangeClients: ["client-1"])
        #expect(exchanging.scopesSupported == ["read", "write", "privy:token:exchange"])
        #expect(exchanging.defaultScopes == ["read", "write", "offline_access"])
    }

    /// One consent covers every tool: a challenge names all of the app's scopes, never offline_access.
    @Test func challengesNameEveryScopeOfTheApp() {
        let notes = OAuthSettings(issuer: Fixture.issuer, appScopes: [AppScope(name: "notes.read", consent: "See your notes"),
                                                                     AppScope(name: "notes.write", consent: "Create notes for you")])
        #expect(notes.challengeScope == "notes.read notes.write")
        #expect(settings.challengeScope == "read write")
    }

    @Test(arguments: [
        ("read", "See your items"),
        ("write", "Change your items"),
        ("offline_access", "Stay connected without signing in again"),
        ("privy:token:exchange", "Act with your Privy login on your behalf"),
        ("something-else", "something-else"),
    ])
    func consentWordsAreTheAppsThenTheServersThenTheName(scope: String, words: String) {
        #expect(settings.describe(scope) == words)
    }

    @Test func grantedScopesFollowTheApp() throws {
        let fixture = Fixture()
        let (code, verifier) = try fixture.code(scope: "write")
        #expect(try fixture.exchange(code, verifier: verifier).scope == "write")
        // Another app's scope is unknown here: refused back to the client.
        do {
            _ = try fixture.server.authorizationValidator.validate(fixture.authorizePairs(challenge: Fixture.pkce().challenge,
                                                                                          ["scope": "notes.read"]))
            Issue.record("a scope the app does not declare was accepted")
        } catch {
            guard case .redirect(let refusal, _, _) = error else { Issue.record("got \(error)"); return }
            #expect(refusal.code == .invalidScope)
        }
    }
}
