import AppComposition
import AppManifest
import Backend
import Configuration
import Crypto
import Foundation
import HTTPClient
import HTTPMessages
import MCPEndpoint
import OAuth
import Privy
import Routes
import Storage

/// What every fuzz target shares: the application wired the way `make run` wires it (memory
/// store, development login) with keys of its own, and a store pre-filled with one client, one
/// unused authorization code, one refresh token and one live access session, so inputs can
/// reach the success paths of /token, /authorize and the bearer check, not only their errors.
///
/// Placeholders in an input are replaced before it is used, because some valid values only
/// exist at run time (they carry the current time or a fresh signature):
///   `@@AT@@`     a valid access token (RS256, our key, live session `fuzz-jti`)
///   `@@PRIVY@@`  a valid Privy-format token (ES256, the trusted P-256 key, appID `development-app`)
///   `@@KID@@`    the key id (RFC 7638 thumbprint) of our RS256 key
///   `@@NOW@@`    the current time in seconds since the epoch (for exp/iat/nbf claims)
/// The other fixture values are plain constants below, so seeds spell them out.
enum Harness {
    static let issuer = "http://127.0.0.1:3002"
    static let resource = issuer + "/mcp"
    static let maxBodyBytes = 65536

    static let clientID = "client_fuzz"
    static let redirectURI = "https://chatgpt.com/connector/oauth/fuzz"
    static let code = "fuzz-code"
    /// 43 characters of the unreserved set (RFC 7636 §4.1).
    static let codeVerifier = "fuzz-verifier-0123456789-0123456789-0123456789"
    static let codeChallenge = Base64URL.encode(SHA256.hash(Array(codeVerifier.utf8)))
    static let refreshToken = "fuzz-refresh"
    static let grantID = "fuzz-grant"
    static let jti = "fuzz-jti"
    /// A second session of the grant with only `read`.
    static let readOnlyJTI = "fuzz-jti-read"
    static let userID = "did:privy:fuzz-user"
    static let scopes = ["read", "write", "offline_access"]

    /// Generated per process: inputs name run-time values by placeholder, so no key is fixed
    /// (and no private key sits in the repository).
    static let signingKey: RSAPrivateKey = {
        do { return try RSAPrivateKey.generate() } catch { fatalError("fuzz RSA key: \(error)") }
    }()
    static let signingKeys = SigningKeys(signingKey: signingKey)
    static let privyKey: P256PrivateKey = {
        do { return try P256PrivateKey.generate() } catch { fatalError("fuzz P-256 key: \(error)") }
    }()
    static let privyAppID = DevelopmentLogin.appID
    static let privyKeySource = StaticPrivyKey(key: privyKey.publicKey)

    static let configuration: Configuration = {
        do {
            return try Configuration.load(from: ["SERVER_BASE_URL": issuer, "MAX_BODY_BYTES": String(maxBodyBytes),
                                                 "PUBLIC_DIR": "/nonexistent", "WIDGETS_DIR": repositoryRoot + "/widgets-dist",
                                                 "APP_MANIFEST": repositoryRoot + "/examples/items/app.json",
                                                 // Millions of inputs from one caller: without this the
                                                 // per-user budget would answer 429 after the first 600.
                                                 "MCP_CALLS_PER_USER_PER_MINUTE": "0", "BACKEND_CALLS_PER_USER_PER_MINUTE": "0"])
        } catch {
            fatalError("fuzz configuration: \(error)")
        }
    }()
    /// The items demo's manifest and widgets, from the checkout this harness is built in.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let manifest: AppManifest = {
        do { return try ManifestFile.load(configuration, codeTools: []).get() } catch { fatalError("fuzz manifest: \(error)") }
    }()
    static let settings = OAuthSettings(issuer: issuer, appScopes: manifest.scopes.map { AppScope(name: $0.name, consent: $0.consent) })
    static let accessTokens = AccessTokens(keys: signingKeys, settings: settings)
    static let developmentLogin: DevelopmentLogin = {
        do { return try DevelopmentLogin(serverBaseURL: issuer) } catch { fatalError("development login: \(error)") }
    }()

    static let grant = Grant(id: grantID, clientID: clientID, userID: userID, scopes: scopes, resource: resource,
                             privyAccessToken: "privy-token-of-fuzz-user", createdAt: Date())

    /// Signed once per process: valid for an hour, far longer than any run.
    static let accessToken: String = {
        do { return try accessTokens.sign(grant: grant, scopes: scopes, jti: jti, now: Date()).token } catch {
            fatalError("sign access token: \(error)")
        }
    }()

    static let privyToken: String = signPrivy(claims: [
        "iss": "privy.io", "aud": privyAppID, "sub": userID, "sid": "fuzz-session",
        "iat": Int(Date().timeIntervalSince1970), "exp": Int(Date().timeIntervalSince1970) + 7200,
    ])

    static func signPrivy(header: JSONObject = ["alg": "ES256", "typ": "JWT", "kid": "fuzz"], claims: JSONObject) -> String {
        do { return try CompactJWS.sign(header: header, claims: claims, signer: privyKey.signES256) } catch {
            fatalError("sign Privy token: \(error)")
        }
    }

    /// A fresh store holding the fixture records, so every input starts from the same state
    /// (and memory does not grow over a long run).
    static func makeStore() -> MemoryStore {
        let store = MemoryStore()
        let now = Date()
        do {
            try store.saveClient(BuiltInClients.chatGPTConnector)
            try store.saveClient(OAuthClient(id: clientID, name: "Fuzz client", redirectURIs: [redirectURI, "http://127.0.0.1:8765/cb"],
                                             origin: .registered, createdAt: now))
            try store.createGrant(grant, code: AuthorizationCode(
                codeHash: SHA256.hexHash(code), grantID: grantID, clientID: clientID, redirectURI: redirectURI,
                codeChallenge: codeChallenge, scopes: scopes, resource: resource, userID: userID,
                expiresAt: now.addingTimeInterval(600)))
            try store.saveRefreshToken(RefreshToken(tokenHash: SHA256.hexHash(refreshToken), grantID: grantID, clientID: clientID,
                                                    userID: userID, scopes: scopes, expiresAt: now.addingTimeInterval(3600),
                                                    createdAt: now))
            try store.saveAccessSession(AccessTokenSession(jti: jti, grantID: grantID, clientID: clientID, userID: userID,
                                                           scopes: scopes, expiresAt: now.addingTimeInterval(3600)))
            try store.saveAccessSession(AccessTokenSession(jti: readOnlyJTI, grantID: grantID, clientID: clientID, userID: userID,
                                                           scopes: ["read"], expiresAt: now.addingTimeInterval(3600)))
        } catch {
            fatalError("fixture store: \(error)")
        }
        return store
    }

    /// Wired by `AppComposition`, as FCGIApp is, over the fixture parts: the trusted Privy key,
    /// our fixed signing key, the built-in demo items behind /mcp (no network).
    static func makeServices(store: MemoryStore, documents: ClientMetadataDocuments? = nil) -> AppServices {
        let identity = PrivyIdentityVerifier(verifier: PrivyTokenVerifier(appID: privyAppID, keys: privyKeySource))
        let parts = AppParts(store: store, signingKeys: signingKeys, identity: identity, developmentLogin: developmentLogin,
                             manifest: manifest, widgetsDirectory: configuration.widgetsDirectory, api: DemoItemsAPI(store: store),
                             clientMetadataDocuments: documents)
        return AppComposition.services(configuration, parts: parts)
    }

    static func makeApplication(documents: ClientMetadataDocuments? = nil) -> Application {
        Application(services: makeServices(store: makeStore(), documents: documents))
    }

    /// Replaces the placeholders; works on bytes so invalid UTF-8 in the input survives as is.
    static func substitute(_ bytes: [UInt8]) -> [UInt8] {
        var output = bytes
        let now = String(Int(Date().timeIntervalSince1970))
        for (marker, value) in [("@@AT@@", accessToken), ("@@PRIVY@@", privyToken), ("@@KID@@", signingKeys.keyID), ("@@NOW@@", now)] {
            output = replace(Array(marker.utf8), with: Array(value.utf8), in: output)
        }
        return output
    }

    static func replace(_ marker: [UInt8], with value: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= marker.count, let first = marker.first else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == first, index + marker.count <= bytes.count, Array(bytes[index..<index + marker.count]) == marker {
                output += value
                index += marker.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    /// Fails the run (libFuzzer reports a crash and saves the input) when a property breaks.
    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        if !condition() {
            fputs("FUZZ PROPERTY VIOLATED: \(message())\n", stderr)
            fatalError("property violated", file: file, line: line)
        }
    }

    /// Every answer must be well formed: a real status, no 5xx except a 503 with Retry-After
    /// semantics (never expected with the memory store), and headers without CR/LF.
    static func checkResponse(_ response: Response, _ context: @autoclosure () -> String) {
        require((100...599).contains(response.status), "status \(response.status) out of range: \(context())")
        require(response.status < 500, "server error \(response.status) \(response.bodyText.prefix(300)): \(context())")
        for field in response.headers {
            require(!field.value.utf8.contains(where: { $0 == 13 || $0 == 10 }) && !field.name.utf8.contains(where: { $0 == 13 || $0 == 10 }),
                    "header \(field.name) carries CR/LF: \(context())")
        }
        if let type = response.headers["Content-Type"], type.hasPrefix("application/json"), !response.body.isEmpty {
            require((try? JSONSerialization.jsonObject(with: Data(response.body))) != nil,
                    "JSON response is not JSON: \(response.bodyText.prefix(200)): \(context())")
        }
    }
}

/// Cuts fuzz input into typed pieces without ever trapping on short input.
struct FuzzReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// Bytes up to (not including) the next `separator`, which is consumed; or everything left.
    mutating func field(separator: UInt8 = 0) -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] != separator { index += 1 }
        let piece = Array(bytes[start..<index])
        if index < bytes.count { index += 1 }
        return piece
    }

    mutating func rest() -> [UInt8] {
        defer { index = bytes.count }
        return index < bytes.count ? Array(bytes[index...]) : []
    }

    /// Modes 1–3 of the token targets: header bytes, NUL, claims bytes, made into a compact JWS
    /// signed by the key the verifier trusts (1), by another key (2), or (3) HMAC-SHA256 with the
    /// verifier's public key as the secret, or no signature at all (RFC 8725 §2.1, §3.1).
    mutating func signedToken(mode: UInt8, trusted: ([UInt8]) throws -> [UInt8], other: ([UInt8]) throws -> [UInt8],
                              publicKeyAsSecret: [UInt8]) -> String {
        let header = field()
        let input = Base64URL.encode(header) + "." + Base64URL.encode(rest())
        let message = Array(input.utf8)
        let signature: [UInt8]
        switch mode {
        case 1: signature = (try? trusted(message)) ?? []
        case 2: signature = (try? other(message)) ?? []
        default:
            signature = header.count % 2 == 0 ? HMACSHA256.authenticationCode(key: publicKeyAsSecret, message: message) : []
        }
        return input + "." + Base64URL.encode(signature)
    }
}

extension Array where Element == UInt8 {
    /// Lossy text, as a header or a query string would carry it after libfcgi.
    var text: String { String(decoding: self, as: UTF8.self) }
}
