import Foundation
import Storage

/// The authorization server's parts, wired once at start from the same settings and store.
public struct OAuthServer: Sendable {
    public let settings: OAuthSettings
    public let keys: SigningKeys
    public let metadata: Metadata
    public let clients: ClientDirectory
    public let registration: ClientRegistration
    public let authorizationValidator: AuthorizationValidator
    public let completion: AuthorizationCompletion
    public let tokenEndpoint: TokenEndpoint
    public let revocation: Revocation
    public let introspection: Introspection
    public let bearer: BearerAuthenticator
    let store: any ClientStore & GrantStore

    public init(settings: OAuthSettings, store: any ClientStore & GrantStore, keys: SigningKeys,
                identity: any IdentityVerifier, clientMetadataDocuments: ClientMetadataDocuments?) {
        self.settings = settings
        self.keys = keys
        self.store = store
        let accessTokens = AccessTokens(keys: keys, settings: settings)
        let clients = ClientDirectory(store: store, documents: clientMetadataDocuments)
        let issuer = TokenIssuer(store: store, accessTokens: accessTokens, settings: settings,
                                 clientUse: ClientUseRecorder(store: store))
        self.metadata = Metadata(settings: settings, clientMetadataDocuments: clientMetadataDocuments != nil)
        self.clients = clients
        self.registration = ClientRegistration(store: store)
        self.authorizationValidator = AuthorizationValidator(clients: clients, settings: settings)
        self.completion = AuthorizationCompletion(store: store, identity: identity, settings: settings)
        self.tokenEndpoint = TokenEndpoint(clients: clients, handlers: [
            AuthorizationCodeGrant(store: store, issuer: issuer, settings: settings),
            RefreshTokenGrant(store: store, issuer: issuer, settings: settings),
        ])
        self.revocation = Revocation(store: store, accessTokens: accessTokens)
        self.introspection = Introspection(store: store, accessTokens: accessTokens)
        self.bearer = BearerAuthenticator(accessTokens: accessTokens, store: store)
    }

    /// Registers the static ChatGPT connector client (done at every start, as the original did).
    public func registerBuiltInClients() throws(StoreError) {
        for client in BuiltInClients.all { try store.saveClient(client) }
    }

    /// Revokes the user's grants for a client, e.g. when the user's API no longer accepts the
    /// stored Privy token and the user must sign in again.
    public func revokeGrants(userID: String, clientID: String, now: Date = Date()) throws(StoreError) {
        try store.revokeGrants(userID: userID, clientID: clientID, now: now)
    }
}
