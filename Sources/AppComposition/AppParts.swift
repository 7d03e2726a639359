import AppManifest
import Backend
import Foundation
import MCPEndpoint
import OAuth
import Privy
import Storage

/// What an application is made of, each part replaceable: `LiveParts` reads them from the
/// configuration for FCGIApp; tests, benchmarks and fuzzers put in their own (a memory store, a
/// fixed key, a fake identity provider, a stand-in API, a fixed clock) and get the same wiring.
public struct AppParts: Sendable {
    public var store: any AppStore
    /// Keys our access tokens are signed and checked with.
    public var signingKeys: SigningKeys
    /// Who may sign in: Privy's (or the development login's) token verifier.
    public var identity: any IdentityVerifier
    /// Present only when the development login stands in for Privy (`POST /authorize/dev-login`).
    public var developmentLogin: DevelopmentLogin?
    /// The app: its names, scopes, widgets and manifest tools (`APP_MANIFEST`).
    public var manifest: AppManifest
    /// Tools written in Swift, listed after the manifest's.
    public var codeTools: [any AppTool]
    /// Where the widget bundles the manifest names are read from (`WIDGETS_DIR`).
    public var widgetsDirectory: String
    /// The user's API the tools call (`BACKEND_API_URL`, or the built-in demo items API).
    public var api: any APITransport
    /// Client ID Metadata Documents (https `client_id`s), or nil to accept registered clients only.
    public var clientMetadataDocuments: ClientMetadataDocuments?
    /// Privy's user record, for the email the consent screen shows; nil leaves it out.
    public var userEmails: (any UserEmailLookup)?
    /// The built consent page (`public/index.html`); nil serves a placeholder.
    public var authorizePage: [UInt8]?
    /// What time it is for every check of expiry and every timestamp written.
    public var clock: @Sendable () -> Date

    public init(store: any AppStore, signingKeys: SigningKeys, identity: any IdentityVerifier,
                developmentLogin: DevelopmentLogin? = nil, manifest: AppManifest, codeTools: [any AppTool] = [],
                widgetsDirectory: String, api: any APITransport,
                clientMetadataDocuments: ClientMetadataDocuments? = nil, userEmails: (any UserEmailLookup)? = nil,
                authorizePage: [UInt8]? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.signingKeys = signingKeys
        self.identity = identity
        self.developmentLogin = developmentLogin
        self.manifest = manifest
        self.codeTools = codeTools
        self.widgetsDirectory = widgetsDirectory
        self.api = api
        self.clientMetadataDocuments = clientMetadataDocuments
        self.userEmails = userEmails
        self.authorizePage = authorizePage
        self.clock = clock
    }
}
