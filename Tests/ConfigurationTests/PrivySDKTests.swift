import Configuration
import Testing

/// PRIVY_SDK_URL and PRIVY_SDK_INTEGRITY: where the consent UI loads Privy's SDK from (a CDN URL,
/// or a path on our own origin for a copy in public/) and the Subresource Integrity hash it
/// checks the module against (W3C SRI §3.1).
@Suite struct PrivySDKTests {
    private func load(_ environment: [String: String]) throws(ConfigurationError) -> Configuration {
        try Configuration.load(from: ["PRIVY_APP_ID": "app-1"].merging(environment) { $1 })
    }

    // The base64 of 32, 48 and 64 zero bytes: digests of the right length for each algorithm.
    static let sha256 = "sha256-" + String(repeating: "A", count: 43) + "="
    static let sha384 = "sha384-" + String(repeating: "A", count: 64)
    static let sha512 = "sha512-" + String(repeating: "A", count: 86) + "=="

    @Test func unsetMeansThePinnedURLWithoutIntegrity() throws {
        let configuration = try load([:])
        #expect(configuration.privySDKURL == Configuration.defaultPrivySDKURL)
        #expect(configuration.privySDKIntegrity == nil)
    }

    /// The production site's CSP allows one SDK file; esm.sh's entry module imports more, so a
    /// production start with the default says so (docs/DEPLOYMENT.md, "Self-hosting the Privy SDK").
    @Test func productionWithTheDefaultSDKURLIsWarned() throws {
        let production = ["NODE_ENV": "production", "SERVER_BASE_URL": "https://app.example.com",
                          "JWT_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
                          "JWT_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"]
        let warnings = try load(production).startupWarnings
        #expect(warnings.count == 1 && warnings[0].hasPrefix("PRIVY_SDK_URL is esm.sh's entry module"))
        #expect(try load(production.merging(["PRIVY_SDK_URL": "/vendor/privy.js"]) { $1 }).startupWarnings.isEmpty)
        #expect(try load([:]).startupWarnings.isEmpty)
    }

    @Test(arguments: ["https://esm.sh/@privy-io/react-auth@2.13.0?external=react,react-dom",
                      "http://127.0.0.1:9000/sdk.js", "/vendor/privy-react-auth-2.13.0.js", "/privy.js?v=2"])
    func urlsAndPathsOnOurOriginAreAccepted(_ url: String) throws {
        #expect(try load(["PRIVY_SDK_URL": url]).privySDKURL == url)
    }

    @Test(arguments: ["//cdn.example.com/sdk.js", "ftp://cdn.example.com/sdk.js", "vendor/sdk.js", "/vendor/a b.js",
                      "/vendor/sdk.js;script-src", "/vendor/'unsafe-inline'", "/vendor/a,b.js", "/vendor\\sdk.js",
                      "/vendor/é.js"])
    func otherValuesAreRefused(_ url: String) {
        #expect(throws: ConfigurationError("PRIVY_SDK_URL",
                                           "must be an http(s) URL or a path on this server such as /vendor/privy.js")) {
            try load(["PRIVY_SDK_URL": url])
        }
    }

    @Test(arguments: [sha256, sha384, sha512, sha384 + " " + sha512])
    func integrityMetadataIsAccepted(_ value: String) throws {
        #expect(try load(["PRIVY_SDK_INTEGRITY": value]).privySDKIntegrity == value)
    }

    @Test(arguments: ["sha1-" + String(repeating: "A", count: 27) + "=", "sha384-" + String(repeating: "A", count: 43) + "=",
                      "sha384-not base64!", "sha384", "SHA384-" + String(repeating: "A", count: 64), "md5-abc",
                      sha384 + " sha512-short"])
    func malformedIntegrityIsRefused(_ value: String) {
        // A browser skips metadata it cannot parse (W3C SRI §3.3.3), which would switch the check off.
        #expect(throws: ConfigurationError("PRIVY_SDK_INTEGRITY",
                                           "must be sha256-, sha384- or sha512- followed by the base64 of the digest "
                                           + "(openssl dgst -sha384 -binary FILE | openssl base64 -A)")) {
            try load(["PRIVY_SDK_INTEGRITY": value])
        }
    }
}
