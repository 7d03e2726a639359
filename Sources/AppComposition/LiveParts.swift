import AppManifest
import Backend
import Configuration
import Crypto
import Foundation
import HTTPClient
import MCPEndpoint
import OAuth
import Privy
import ServerLog
import Storage
import StoragePostgres
import WebRules

/// The parts FCGIApp runs with, read from the configuration: keys, identity provider, store,
/// the user's API, the built UI. Anything wrong here stops the process at start with one line
/// naming the variable.
public enum LiveParts {
    /// The parts, and the background cleanup of the PostgreSQL store (stopped at shutdown).
    /// - Parameter codeTools: tools written in Swift, listed after the manifest's.
    public static func make(_ configuration: Configuration,
                            codeTools: [any AppTool] = []) throws(ConfigurationError) -> (AppParts, janitor: PostgresJanitor?) {
        for note in configuration.startupWarnings { ServerLog.write(.warning, note) }
        let manifest: AppManifest
        switch ManifestFile.load(configuration, codeTools: codeTools) {
        case .success(let loaded): manifest = loaded
        case .failure(let problems): throw ConfigurationError("APP_MANIFEST", ManifestFile.summary(problems, configuration: configuration))
        }
        let (store, janitor) = try makeStore(configuration)
        let (identity, developmentLogin) = try makeIdentity(configuration)
        let parts = AppParts(
            store: store, signingKeys: try makeSigningKeys(configuration), identity: identity,
            developmentLogin: developmentLogin, manifest: manifest, codeTools: codeTools,
            widgetsDirectory: configuration.widgetsDirectory, api: makeAPI(configuration, store: store),
            clientMetadataDocuments: ClientMetadataDocuments(fetcher: CurlHTTPClient(allowedSchemes: ["https"],
                                                                                     blockPrivateAddresses: true)),
            userEmails: makeUserEmails(configuration), authorizePage: authorizePage(configuration))
        return (parts, janitor)
    }

    /// The user's API (`BACKEND_API_URL`) or, without it, the built-in demo items API.
    private static func makeAPI(_ configuration: Configuration, store: any AppStore) -> any APITransport {
        guard let url = configuration.backendAPIURL else {
            ServerLog.write(.info, "BACKEND_API_URL is not set: tools call the built-in demo items API")
            return DemoItemsAPI(store: store)
        }
        // The operator's own API: private addresses allowed, redirects never followed.
        return HTTPAPITransport(baseURL: url, fetcher: CurlHTTPClient(), timeout: configuration.backendTimeoutSeconds,
                                connectTimeout: configuration.backendConnectTimeoutSeconds,
                                maxResponseBytes: configuration.backendMaxResponseBytes)
    }

    private static func makeStore(_ configuration: Configuration) throws(ConfigurationError) -> (any AppStore, PostgresJanitor?) {
        switch configuration.storageDriver {
        case .memory:
            return (MemoryStore(clientRetention: ClientRetention(configuration)), nil)
        case .postgres:
            return try PostgresSetup.store(configuration)
        }
    }

    /// `JWT_PRIVATE_KEY`/`JWT_PUBLIC_KEY`, or a key generated for this run (development only;
    /// production refuses to start without keys, see Configuration).
    private static func makeSigningKeys(_ configuration: Configuration) throws(ConfigurationError) -> SigningKeys {
        guard let privatePEM = configuration.jwtPrivateKeyPEM, let publicPEM = configuration.jwtPublicKeyPEM else {
            do {
                ServerLog.write(.warning, "JWT_PRIVATE_KEY is not set: generated a signing key for this run; tokens will not survive a restart")
                return SigningKeys(signingKey: try RSAPrivateKey.generate())
            } catch {
                throw ConfigurationError("JWT_PRIVATE_KEY", "could not generate a development key: \(error)")
            }
        }
        let privateKey: RSAPrivateKey
        let publicKey: RSAPublicKey
        do {
            privateKey = try RSAPrivateKey(pem: privatePEM)
        } catch {
            throw ConfigurationError("JWT_PRIVATE_KEY", "is not a usable RSA private key (2048 bits or more)")
        }
        do {
            publicKey = try RSAPublicKey(pem: publicPEM)
        } catch {
            throw ConfigurationError("JWT_PUBLIC_KEY", "is not a usable RSA public key (2048 bits or more)")
        }
        guard publicKey.modulus == privateKey.publicKey.modulus, publicKey.exponent == privateKey.publicKey.exponent else {
            throw ConfigurationError("JWT_PUBLIC_KEY", "does not belong to JWT_PRIVATE_KEY")
        }
        var previous: [RSAPublicKey] = []
        for (index, pem) in configuration.jwtPreviousPublicKeyPEMs.enumerated() {
            do {
                previous.append(try RSAPublicKey(pem: pem))
            } catch {
                throw ConfigurationError("JWT_PREVIOUS_PUBLIC_KEYS", "entry \(index + 1) is not a usable RSA public key")
            }
        }
        return SigningKeys(signingKey: privateKey, previousPublicKeys: previous)
    }

    private static func makeIdentity(_ configuration: Configuration) throws(ConfigurationError) -> (any IdentityVerifier, DevelopmentLogin?) {
        if configuration.usesDevelopmentLogin {
            let login: DevelopmentLogin
            do {
                login = try DevelopmentLogin(serverBaseURL: configuration.serverBaseURL)
            } catch {
                throw ConfigurationError("SERVER_BASE_URL", "\(error)")
            }
            ServerLog.write(.warning, "PRIVY_APP_ID is not set: using the DEVELOPMENT login (loopback only, no real accounts)")
            let verifier = PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource)
            return (PrivyIdentityVerifier(verifier: verifier), login)
        }
        guard let appID = configuration.privyAppID else {
            throw ConfigurationError("PRIVY_APP_ID", "required unless the development login applies")
        }
        let keys: any PrivyKeySource
        if let pem = configuration.privyVerificationKeyPEM {
            do {
                keys = try StaticPrivyKey(pem: pem)
            } catch {
                throw ConfigurationError("PRIVY_VERIFICATION_KEY", "is not an ES256 (P-256) public key")
            }
        } else {
            // Keys decide who may log in.
            let url = configuration.privyJWKSURL ?? PrivyJWKS.defaultURL(appID: appID)
            keys = PrivyJWKS(url: url, fetcher: privyFetcher(for: url))
        }
        return (PrivyIdentityVerifier(verifier: PrivyTokenVerifier(appID: appID, keys: keys)), nil)
    }

    /// Privy's user record (GET /v1/users/{id}, Basic app id:secret) for the email the consent
    /// screen shows (POST /authorize/identity); only with `PRIVY_APP_ID` and `PRIVY_APP_SECRET`.
    /// Bounded by PrivyUserLookup's timeout; a failure only leaves the email out.
    private static func makeUserEmails(_ configuration: Configuration) -> PrivyUserLookup? {
        guard !configuration.usesDevelopmentLogin, let appID = configuration.privyAppID,
              let secret = configuration.privyAppSecret
        else { return nil }
        // The secret goes with every request.
        let url = configuration.privyAPIURL ?? Configuration.defaultPrivyAPIURL
        return PrivyUserLookup(appID: appID, appSecret: secret, fetcher: privyFetcher(for: url), apiBaseURL: url)
    }

    /// A client for Privy's servers: https only, as the configuration requires of PRIVY_JWKS_URL
    /// and PRIVY_API_URL, except a loopback stand-in whose traffic never leaves the machine.
    private static func privyFetcher(for url: String) -> CurlHTTPClient {
        CurlHTTPClient(allowedSchemes: AbsoluteURL(url)?.isLoopback == true ? ["https", "http"] : ["https"])
    }

    private static func authorizePage(_ configuration: Configuration) -> [UInt8]? {
        let path = configuration.publicDirectory + "/index.html"
        guard let data = FileManager.default.contents(atPath: path) else {
            ServerLog.write(.warning, "the OAuth UI is not built: \(path) is missing; GET /authorize shows a placeholder page")
            return nil
        }
        return [UInt8](data)
    }
}
