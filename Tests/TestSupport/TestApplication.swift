import AppComposition
import AppManifest
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
/// login, the items demo's manifest over the built-in demo items API behind `/mcp`, a signing
/// key made once per test process (RSA generation is the slow part). Built through
/// `AppComposition`, so the tests exercise the wiring FCGIApp runs; `adjust` replaces any part.
public enum TestApplication {
    /// The checkout the tests run from: the examples and the built widgets live there.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The configuration variables that point at the checkout's items manifest and widgets.
    public static let checkoutPaths = [
        "APP_MANIFEST": repositoryRoot + "/examples/items/app.json", "WIDGETS_DIR": repositoryRoot + "/widgets-dist",
    ]

    /// The items demo's manifest (`examples/items/app.json`), checked as at start.
    public static func itemsManifest(_ configuration: Configuration, codeTools: [any AppTool] = []) -> AppManifest {
        switch ManifestFile.load(configuration, codeTools: codeTools) {
        case .success(let manifest): return manifest
        case .failure(let problems): fatalError("the items manifest: \(problems)")
        }
    }

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
                        developmentLogin: login, manifest: itemsManifest(configuration),
                        widgetsDirectory: configuration.widgetsDirectory, api: DemoItemsAPI(store: store))
    }

    /// The services, built-in clients registered.
    public static func services(environment: [String: String] = [:],
                                adjust: (inout AppParts) -> Void = { _ in }) -> AppServices {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(from: checkoutPaths.merging(environment) { $1 })
        } catch {
            fatalError("test configuration: \(error)")
        }
        var parts = parts(configuration)
        adjust(&parts)
        let services = AppComposition.services(configuration, parts: parts)
        do { try services.oauth.registerBuiltInClients() } catch { fatalError("built-in clients: \(error)") }
        return services
    }
}
