import Configuration
import Foundation
import MCPEndpoint
import OAuth
import Privy
import Storage

/// Everything the routes use, built once at start by the composition root.
public struct AppServices: Sendable {
    public var configuration: Configuration
    public var store: any AppStore
    public var oauth: OAuthServer
    /// Present only when the development login stands in for Privy.
    public var developmentLogin: DevelopmentLogin?
    /// The built OAuth UI page (`public/index.html`), served for `GET /authorize`.
    public var authorizePage: [UInt8]?
    /// `/mcp`; the route is not registered without it (unit tests of other routes).
    public var mcp: MCPEndpoint?
    /// Privy's user record (with `PRIVY_APP_SECRET`): the signed-in user's email for the consent
    /// screen (`POST /authorize/identity`). Nil: that answer carries no email.
    public var userEmails: (any UserEmailLookup)?
    /// The time every expiry check and timestamp of a request uses.
    public var clock: @Sendable () -> Date

    /// Built by `AppComposition`; tests of one route may build it by hand.
    public init(configuration: Configuration, store: any AppStore, oauth: OAuthServer,
                developmentLogin: DevelopmentLogin?, authorizePage: [UInt8]?, mcp: MCPEndpoint? = nil,
                userEmails: (any UserEmailLookup)? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.store = store
        self.oauth = oauth
        self.developmentLogin = developmentLogin
        self.authorizePage = authorizePage
        self.mcp = mcp
        self.userEmails = userEmails
        self.clock = clock
    }

    var resourceMetadataURL: String { oauth.metadata.protectedResourceMetadataURL }
    var bearerGate: BearerGate { BearerGate(bearer: oauth.bearer, resourceMetadata: resourceMetadataURL, clock: clock) }
}
