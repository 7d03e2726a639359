import AppComposition
import Backend
import Configuration
import Crypto
import Foundation
import MCPEndpoint
import OAuth
import Privy
import Routes
import Storage

/// The application as `make run` wires it, for in-process tests: memory store, development
/// login, the built-in demo items behind `/mcp`, a signing key made once per test process (RSA
/// generation is the slow part). Built through `AppComposition`, so the tests exercise the
/// wiring FCGIApp runs; `adjust` replaces any part.
public enum TestApplication {
    public static let signingKey: RSAPrivateKey = {
        do { return try RSAPrivateKey.generate() } catch { fatalError("test RSA key: \(error)") }
    }()

    public static func parts(_ configuration: Configuration, store: MemoryStore = MemoryStore()) -> AppParts {
        let login: DevelopmentLogin
        do { login = try DevelopmentLogin(serverBaseURL: configuration.serverBaseURL) } catch {
            fatalError("development login: \(error)")
        }
        return AppParts(store: store, signingKeys: SigningKeys(signingKey: signingKey),
                        identity: PrivyIdentityVerifier(verifier: PrivyTokenVerifier(appID: DevelopmentLogin.appID,
                                                                                     keys: login.keySource)),
                        developmentLogin: login, backend: DemoItemsBackend(store: store),
                        widgets: WidgetCatalog(directory: "/nonexistent", report: { _ in }))
    }

    /// The services, built-in clients registered.
    public static func services(environment: [String: String] = [:],
                                adjust: (inout AppParts) -> Void = { _ in }) -> AppServices {
        let configuration: Configuration
        do { configuration = try Configuration.load(from: environment) } catch { fatalError("test configuration: \(error)") }
        var parts = parts(configuration)
        adjust(&parts)
        let services = AppComposition.services(configuration, parts: parts)
        do { try services.oauth.registerBuiltInClients() } catch { fatalError("built-in clients: \(error)") }
        return services
    }
}
