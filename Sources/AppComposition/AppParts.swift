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
    /// The user's API the tools call.
    public var backend: any ItemsBackend
    /// What `/mcp` offers, in `tools/list` order.
    public var tools: [any AppTool]
    /// The widget bundles `/mcp` serves as resources.
    public var widgets: WidgetCatalog
    /// Client ID Metadata Documents (https `client_id`s), or nil to accept registered clients only.
    public var clientMetadataDocuments: ClientMetadataDocuments?
    /// Privy's user record, for the email the consent screen shows; nil leaves it out.
    public var userEmails: (any UserEmailLookup)?
    /// The built consent page (`public/index.html`); nil serves a placeholder.
    public var authorizePage: [UInt8]?
    /// What time it is for every check of expiry and every timestamp written.
    public var clock: @Sendable () -> Date

    public init(store: any AppStore, signingKeys: SigningKeys, identity: any IdentityVerifier,
                developmentLogin: DevelopmentLogin? = nil, backend: any ItemsBackend,
                tools: [any AppTool] = MCPEndpoint.demoTools, widgets: WidgetCatalog,
                clientMetadataDocuments: ClientMetadataDocuments? = nil, userEmails: (any UserEmailLookup)? = nil,
                authorizePage: [UInt8]? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.signingKeys = signingKeys
        self.identity = identity
        self.developmentLogin = developmentLogin
        self.backend = backend
        self.tools = tools
        self.widgets = widgets
        self.clientMetadataDocuments = clientMetadataDocuments
        self.userEmails = userEmails
        self.authorizePage = authorizePage
        self.clock = clock
    }
}
