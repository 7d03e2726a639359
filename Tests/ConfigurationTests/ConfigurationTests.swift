import Configuration
import Foundation
import Testing

@Suite struct ConfigurationTests {
    let fakePublicPEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    let fakePrivatePEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"

    func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    func failure(_ environment: [String: String]) -> ConfigurationError? {
        do {
            _ = try Configuration.load(from: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultsRunLocallyWithoutAnySetting() throws {
        let configuration = try Configuration.load(from: [:])
        #expect(configuration.serverBaseURL == "http://localhost:3002")
        #expect(configuration.port == 3002)
        #expect(configuration.environment == .development)
        #expect(configuration.storageDriver == .memory)
        #expect(configuration.fcgiThreads == Configuration.defaultThreads)
        #expect(configuration.maxBodyBytes == 1 << 20)
        #expect(configuration.usesDevelopmentLogin)
    }

    @Test func baseURLLosesItsTrailingSlash() throws {
        let configuration = try Configuration.load(from: ["SERVER_BASE_URL": "http://127.0.0.1:8080/"])
        #expect(configuration.serverBaseURL == "http://127.0.0.1:8080")
    }

    @Test(arguments: [
        (["PORT": "0"], "PORT"), (["PORT": "http"], "PORT"), (["FCGI_THREADS": "0"], "FCGI_THREADS"),
        (["MAX_BODY_BYTES": "-5"], "MAX_BODY_BYTES"), (["NODE_ENV": "staging"], "NODE_ENV"),
        (["AUTH_STORAGE_DRIVER": "redis"], "AUTH_STORAGE_DRIVER"), (["SERVER_BASE_URL": "ftp://x"], "SERVER_BASE_URL"),
        (["SERVER_BASE_URL": "http://localhost/?a=1"], "SERVER_BASE_URL"),
        (["AUTH_STORAGE_DRIVER": "postgres"], "DATABASE_URL"), (["FCGI_LISTEN": "nowhere"], "FCGI_LISTEN"),
        (["TOKEN_ENCRYPTION_KEY": "short"], "TOKEN_ENCRYPTION_KEY"), (["BACKEND_API_URL": "not a url"], "BACKEND_API_URL"),
        (["JWT_PRIVATE_KEY": "bm90IGEga2V5"], "JWT_PRIVATE_KEY"),
        (["SERVER_BASE_URL": "https://app.example.com"], "PRIVY_APP_ID"),
    ] as [([String: String], String)])
    func invalidValuesNameTheirVariable(_ environment: [String: String], _ variable: String) {
        #expect(failure(environment)?.variable == variable)
    }

    @Test func productionNeedsPrivyKeysAndEncryption() throws {
        var environment = ["NODE_ENV": "production", "SERVER_BASE_URL": "https://app.example.com"]
        #expect(failure(environment)?.variable == "PRIVY_APP_ID")
        environment["PRIVY_APP_ID"] = "app-123"
        #expect(failure(environment)?.variable == "JWT_PRIVATE_KEY")
        environment["JWT_PRIVATE_KEY"] = base64(fakePrivatePEM)
        environment["JWT_PUBLIC_KEY"] = base64(fakePublicPEM)
        environment["AUTH_STORAGE_DRIVER"] = "postgres"
        environment["DATABASE_URL"] = "postgresql://app@db/app"
        #expect(failure(environment)?.variable == "TOKEN_ENCRYPTION_KEY")
        environment["TOKEN_ENCRYPTION_KEY"] = String(repeating: "ab", count: 32)
        let configuration = try Configuration.load(from: environment)
        #expect(configuration.isProduction)
        #expect(!configuration.usesDevelopmentLogin)
        #expect(configuration.jwtPrivateKeyPEM == fakePrivatePEM)
        #expect(configuration.tokenEncryptionKey == [UInt8](repeating: 0xAB, count: 32))
    }

    @Test func acceptsPEMGivenAsBase64OrWithEscapedNewlines() throws {
        let escaped = fakePublicPEM.replacingOccurrences(of: "\n", with: "\\n")
        let direct = try Configuration.load(from: ["PRIVY_VERIFICATION_KEY": escaped])
        #expect(direct.privyVerificationKeyPEM == fakePublicPEM)
        let encoded = try Configuration.load(from: ["PRIVY_VERIFICATION_KEY": base64(fakePublicPEM)])
        #expect(encoded.privyVerificationKeyPEM == fakePublicPEM)
    }

    @Test func aliasesOfTheOriginalSystemWork() throws {
        let configuration = try Configuration.load(from: [
            "PROTOCOL_API_URL": "https://api.example.com", "VITE_PRIVY_APP_ID": "app-1",
            "PRIVY_EXCHANGE_CLIENTS": "a, b,,c", "APP_ENV": "development",
        ])
        #expect(configuration.backendAPIURL == "https://api.example.com")
        #expect(configuration.privyAppID == "app-1")
        #expect(configuration.privyExchangeClients == ["a", "b", "c"])
    }

    @Test func previousPublicKeysAreAListOfBase64PEMs() throws {
        let two = [fakePublicPEM, fakePublicPEM].map(base64).joined(separator: ",")
        #expect(try Configuration.load(from: ["JWT_PREVIOUS_PUBLIC_KEYS": two]).jwtPreviousPublicKeyPEMs.count == 2)
        #expect(failure(["JWT_PREVIOUS_PUBLIC_KEYS": base64(fakePublicPEM) + ",nonsense"])?.variable == "JWT_PREVIOUS_PUBLIC_KEYS")
    }

    @Test func errorsNeverEchoTheSecretValue() {
        let secret = "c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw=="
        for variable in ["JWT_PRIVATE_KEY", "TOKEN_ENCRYPTION_KEY", "PRIVY_VERIFICATION_KEY"] {
            let error = failure([variable: secret])
            #expect(error != nil)
            #expect(!(error?.description.contains(secret) ?? true))
        }
    }
}

@Suite struct EnvironmentFileTests {
    @Test func parsesCommentsExportsAndQuotes() throws {
        let values = try EnvironmentFile.parse("""
        # comment
        export PORT=4000
        PRIVY_APP_ID = app-1   # inline comment
        SINGLE='a # b'
        DOUBLE="line\\nnext \\"q\\""
        EMPTY=

        """)
        #expect(values == ["PORT": "4000", "PRIVY_APP_ID": "app-1", "SINGLE": "a # b", "DOUBLE": "line\nnext \"q\"", "EMPTY": ""])
    }

    @Test(arguments: ["JUSTTEXT", "1BAD=x", "X=\"unterminated"])
    func rejectsMalformedLines(_ text: String) {
        #expect(throws: ConfigurationError.self) { try EnvironmentFile.parse(text) }
    }
}
