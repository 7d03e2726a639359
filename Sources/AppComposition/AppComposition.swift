import AppManifest
import Configuration
import MCPEndpoint
import OAuth
import Routes
import Storage

/// The one place the application is wired: the OAuth server, `/mcp` and the routes over a set
/// of parts. FCGIApp, the tests, the benchmarks and the fuzzers all build it here, so what they
/// exercise is what runs.
public enum AppComposition {
    /// The services every route uses.
    public static func services(_ configuration: Configuration, parts: AppParts) -> AppServices {
        var settings = OAuthSettings(issuer: configuration.serverBaseURL,
                                     appScopes: parts.manifest.scopes.map { AppScope(name: $0.name, consent: $0.consent) },
                                     exchangeClients: configuration.privyExchangeClients,
                                     resourceName: parts.manifest.server.title ?? parts.manifest.server.name)
        settings.refreshReuseInterval = configuration.refreshReuseInterval
        let oauth = OAuthServer(settings: settings, store: parts.store, keys: parts.signingKeys, identity: parts.identity,
                                clientMetadataDocuments: parts.clientMetadataDocuments)
        // When the user's API stops accepting the stored Privy token, the grant goes, so
        // ChatGPT's next call gets a 401 and offers to sign in again.
        let revoker = GrantRevoker { caller in try oauth.revokeGrants(userID: caller.userID, clientID: caller.clientID) }
        var mcpSettings = MCPEndpointSettings(serverBaseURL: configuration.serverBaseURL,
                                              resourceMetadataURL: oauth.metadata.protectedResourceMetadataURL)
        mcpSettings.maxBatchItems = configuration.mcpMaxBatch
        mcpSettings.requestTimeLimit = configuration.backendTimeoutSeconds
        // Counted in the store, so with PostgreSQL the budgets hold across every process and host.
        let budgets = CallBudgets(
            mcp: CallBudget(name: "mcp", callsPerMinute: configuration.mcpCallsPerUserPerMinute, store: parts.store, clock: parts.clock),
            backend: CallBudget(name: "backend", callsPerMinute: configuration.backendCallsPerUserPerMinute, store: parts.store,
                                clock: parts.clock))
        let mcp = MCPEndpoint(settings: mcpSettings,
                              manifest: parts.manifest, codeTools: parts.codeTools, widgetsDirectory: parts.widgetsDirectory,
                              api: parts.api, revoker: revoker, budgets: budgets,
                              isChatGPT: { [store = parts.store] caller in ChatGPTClients.recognizes(clientID: caller.clientID, in: store) })
        return AppServices(configuration: configuration, store: parts.store, oauth: oauth, developmentLogin: parts.developmentLogin,
                           authorizePage: parts.authorizePage, mcp: mcp, userEmails: parts.userEmails, clock: parts.clock)
    }

    /// The whole HTTP application, built-in clients registered.
    public static func application(_ configuration: Configuration, parts: AppParts) throws(StoreError) -> Application {
        let services = services(configuration, parts: parts)
        try services.oauth.registerBuiltInClients()
        return Application(services: services)
    }
}
