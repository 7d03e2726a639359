import Configuration
import Testing

/// PRIVY_JWKS_URL: Privy's signing keys decide who may log in, so they are fetched over https;
/// plain http only to a loopback host, where local test stand-ins run.
@Suite struct PrivyJWKSURLTests {
    private func load(_ url: String) throws(ConfigurationError) -> Configuration {
        try Configuration.load(from: ["PRIVY_APP_ID": "app-1", "PRIVY_JWKS_URL": url])
    }

    @Test func unsetMeansPrivysDefault() throws {
        #expect(try Configuration.load(from: ["PRIVY_APP_ID": "app-1"]).privyJWKSURL == nil)
    }

    @Test(arguments: [
        "https://auth.privy.io/api/v1/apps/app-1/jwks.json",
        "HTTPS://keys.example.com:8443/jwks.json",
        "http://127.0.0.1:9000/jwks.json",
        "http://localhost/jwks.json",
        "http://[::1]:8080/jwks.json",
    ])
    func httpsOrLoopbackIsAccepted(_ url: String) throws {
        #expect(try load(url).privyJWKSURL == url)
    }

    @Test(arguments: [
        "http://auth.privy.io/api/v1/apps/app-1/jwks.json",
        "http://10.0.0.5/jwks.json",
        "http://localhost.example.com/jwks.json",
        "http://127.0.0.1.nip.io/jwks.json",
    ])
    func plainHTTPElsewhereIsRefused(_ url: String) {
        #expect(throws: ConfigurationError("PRIVY_JWKS_URL",
                                           "must be an https URL (http is allowed only for localhost, 127.0.0.1 or [::1])")) {
            try load(url)
        }
    }

    @Test(arguments: ["ftp://auth.privy.io/jwks.json", "auth.privy.io/jwks.json", "https://user@auth.privy.io/jwks.json"])
    func nonURLsAreRefused(_ url: String) {
        #expect(throws: ConfigurationError("PRIVY_JWKS_URL", "must be an https URL")) { try load(url) }
    }

    /// The start-up line names the variable and never echoes the value.
    @Test func errorLineNamesTheVariable() {
        do {
            _ = try load("http://keys.example.com/jwks.json")
            Issue.record("expected a configuration error")
        } catch {
            #expect(error.description.hasPrefix("PRIVY_JWKS_URL: "))
            #expect(!error.description.contains("keys.example.com"))
        }
    }
}
