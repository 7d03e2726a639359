import Configuration
import Crypto
import OAuth
import Privy
import Routes
import Storage

/// An application wired the way `make run` wires it: memory store, development login, a fresh
/// signing key. Built once per test process: RSA key generation is the slow part.
enum TestServices {
    static let shared: AppServices = make()

    static func make(environment: [String: String] = [:]) -> AppServices {
        let configuration = try! Configuration.load(from: environment)
        let store = MemoryStore()
        let login = try! DevelopmentLogin(serverBaseURL: configuration.serverBaseURL)
        let identity = PrivyIdentityVerifier(verifier: PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource))
        let oauth = OAuthServer(settings: OAuthSettings(issuer: configuration.serverBaseURL), store: store,
                                keys: SigningKeys(signingKey: signingKey), identity: identity, clientMetadataDocuments: nil)
        try! oauth.registerBuiltInClients()
        return AppServices(configuration: configuration, store: store, oauth: oauth, developmentLogin: login, authorizePage: nil)
    }

    static let signingKey = try! RSAPrivateKey.generate()

    static var application: Application { Application(services: shared) }
}
