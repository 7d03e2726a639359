import Configuration
import Testing

/// PRIVY_API_URL: the user lookup sends the app secret with every request, so Privy's API is
/// reached over https; plain http only to a loopback host, where local test stand-ins run.
@Suite struct PrivyAPIURLTests {
    private func load(_ url: String) throws(ConfigurationError) -> Configuration {
        try Configuration.load(from: ["PRIVY_APP_ID": "app-1", "PRIVY_APP_SECRET": "s3cr3t", "PRIVY_API_URL": url])
    }

    @Test func unsetMeansPrivysAPI() throws {
        #expect(try Configuration.load(from: ["PRIVY_APP_ID": "app-1"]).privyAPIURL == nil)
        #expect(Configuration.defaultPrivyAPIURL == "https://api.privy.io")
    }

    @Test(arguments: ["https://api.privy.io", "https://privy-proxy.example.com/api/", "http://127.0.0.1:9000",
                      "http://localhost/", "http://[::1]:8080"])
    func httpsOrLoopbackIsAccepted(_ url: String) throws {
        #expect(try load(url).privyAPIURL == url)
    }

    @Test(arguments: ["http://api.privy.io", "http://10.0.0.5", "http://localhost.example.com"])
    func plainHTTPElsewhereIsRefused(_ url: String) {
        #expect(throws: ConfigurationError("PRIVY_API_URL",
                                           "must be an https URL (http is allowed only for localhost, 127.0.0.1 or [::1])")) {
            try load(url)
        }
    }

    @Test(arguments: ["ftp://api.privy.io", "api.privy.io"])
    func nonURLsAreRefused(_ url: String) {
        #expect(throws: ConfigurationError("PRIVY_API_URL", "must be an https URL")) { try load(url) }
    }
}
