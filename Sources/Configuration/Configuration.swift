import WebRules
/// Every setting the application reads, typed and validated once at start.
///
/// Names follow the original system's environment variables (see README "Configuration").
/// Values that are secrets are kept here but never printed: `description` redacts them.
public struct Configuration: Sendable {
    public enum Environment: String, Sendable, CaseIterable { case development, production }
    public enum StorageDriver: String, Sendable, CaseIterable { case memory, postgres }

    /// Public origin, also the OAuth issuer. No trailing slash.
    public var serverBaseURL: String
    /// Port nginx listens on in the local run.
    public var port: Int
    public var environment: Environment
    public var storageDriver: StorageDriver
    public var databaseURL: String?

    public var privyAppID: String?
    public var privyAppSecret: String?
    /// PEM text of Privy's ES256 verification key, already decoded from base64 when given so.
    public var privyVerificationKeyPEM: String?
    public var privyJWKSURL: String?
    /// Base URL of Privy's REST API, where the user lookup asks for a user's email.
    public var privyAPIURL: String?
    /// ES module URL of Privy's React SDK that the consent UI loads (pinned): an http(s) URL, or
    /// a path on our own origin for a copy served from `public/` (docs/DEPLOYMENT.md).
    public var privySDKURL: String
    /// Subresource Integrity metadata the consent UI checks the SDK against before running it
    /// (`PRIVY_SDK_INTEGRITY`, W3C SRI §3.1), e.g. `sha384-…`; nil means no check.
    public var privySDKIntegrity: String?

    /// PEM text of our RS256 signing key pair, decoded from the base64 in the environment.
    public var jwtPrivateKeyPEM: String?
    public var jwtPublicKeyPEM: String?
    /// Public keys of earlier signing keys, still published in the JWKS during a key rotation so
    /// tokens they signed keep verifying until they expire.
    public var jwtPreviousPublicKeyPEMs: [String]
    /// 32 bytes for AES-256-GCM encryption of stored Privy tokens.
    public var tokenEncryptionKey: [UInt8]?

    /// The user's own API that tools call; nil means the built-in demo items API.
    public var backendAPIURL: String?
    /// Total time limit of one call to the user's API, in seconds.
    public var backendTimeoutSeconds: Double
    /// Time limit of connecting (TCP and TLS) to the user's API, in seconds; at most the total.
    public var backendConnectTimeoutSeconds: Double
    /// Largest answer body accepted from the user's API, in bytes.
    public var backendMaxResponseBytes: Int
    /// The most items a JSON-RPC batch to `/mcp` may hold (`MCP_MAX_BATCH`).
    public var mcpMaxBatch: Int
    /// JSON-RPC messages to `/mcp` one user may send per minute, across every process; 0 is no limit.
    public var mcpCallsPerUserPerMinute: Int
    /// Calls to the user's API the tools may make for one user per minute; 0 is no limit.
    public var backendCallsPerUserPerMinute: Int
    /// Seconds after its first use in which a refresh token may be presented again (a client's
    /// retry) without revoking its grant; 0 revokes on every second use.
    public var refreshReuseInterval: Double
    /// Days after its last token a registered client is deleted (`CLIENT_IDLE_DAYS`); one that
    /// never obtained a token goes after a day, and none while a grant refers to it.
    public var clientIdleDays: Int
    /// Client ids that may be granted `privy:token:exchange`.
    public var privyExchangeClients: Set<String>

    /// Socket to open when none is inherited: a unix socket path or `host:port`.
    public var fcgiListen: String?
    public var fcgiThreads: Int
    /// Folder of the built OAuth UI (`public/`), relative to the working directory or absolute.
    public var publicDirectory: String
    /// Folder of the built widget bundles (`widgets-dist/`).
    public var widgetsDirectory: String
    /// The app manifest (`APP_MANIFEST`): tools, widgets, scopes, names; docs/MANIFEST.md.
    public var appManifestPath: String
    /// The variables `${NAME}` in the manifest's headers may name: the whole environment, as
    /// the manifest is the operator's own file. Never logged.
    public var manifestVariables: [String: String]
    public var maxBodyBytes: Int
    /// Settings that were given but that this process does not use, or that work here but not
    /// behind the shipped production site, each with why; logged as warnings at start, so that no
    /// setting (say, one carried over from the original system's `.env`) is ignored silently.
    public var startupWarnings: [String] = []

    public var isProduction: Bool { environment == .production }

    /// True when the base URL points at this machine only (localhost, 127.0.0.0/8, [::1]).
    public var baseURLIsLoopback: Bool { AbsoluteURL(serverBaseURL)?.isLoopback ?? false }

    /// The development login stands in for Privy only on a loopback origin without a Privy app.
    public var usesDevelopmentLogin: Bool { privyAppID == nil && baseURLIsLoopback && !isProduction }

    public static let defaultBaseURL = "http://localhost:3002"
    /// The items demo, relative to the working directory like `public/`.
    public static let defaultAppManifestPath = "examples/items/app.json"
    public static let defaultPrivyAPIURL = "https://api.privy.io"
    public static let defaultPrivySDKURL = "https://esm.sh/@privy-io/react-auth@2.13.0?external=react,react-dom"
    public static let defaultThreads = 8
    public static let defaultMaxBodyBytes = 1 << 20
    public static let defaultBackendConnectTimeoutSeconds: Double = 5
    public static let defaultBackendMaxResponseBytes = 1 << 20
    /// Ten a second for a whole minute, and twice that to the API: far above what ChatGPT sends
    /// for one user (a few calls per turn), low enough that one token cannot flood the API.
    public static let defaultMCPCallsPerUserPerMinute = 600
    public static let defaultBackendCallsPerUserPerMinute = 1200
}
