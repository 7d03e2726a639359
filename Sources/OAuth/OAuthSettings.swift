import Foundation

/// What the OAuth rules need to know about this server, derived once from the configuration.
public struct OAuthSettings: Sendable {
    /// `SERVER_BASE_URL`: the issuer (RFC 8414 §2) and the base of every endpoint.
    public let issuer: String
    /// The protected resource (RFC 9728): our MCP endpoint URL.
    public let mcpResource: String
    /// Client ids allowed `privy:token:exchange` (`PRIVY_EXCHANGE_CLIENTS`).
    public let exchangeClients: Set<String>
    /// The app's scopes (its manifest), in the consent screen's order.
    public let appScopes: [AppScope]

    public var codeLifetime: TimeInterval = 60
    public var accessTokenLifetime: TimeInterval = 3600
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600

    public init(issuer: String, appScopes: [AppScope], exchangeClients: Set<String> = []) {
        self.issuer = issuer
        self.mcpResource = issuer + "/mcp"
        self.appScopes = appScopes
        self.exchangeClients = exchangeClients
    }

    /// Resources a token may be bound to (RFC 8707): the MCP URL and the base URL.
    public var acceptedResources: [String] { [mcpResource, issuer] }

    public func endpoint(_ path: String) -> String { issuer + path }

    /// Granted when a request names no scope (ChatGPT omits it on reconnect): all of the app's.
    public var defaultScopes: [String] { appScopes.map(\.name) + [Scope.offlineAccess] }

    public var scopesSupported: [String] {
        defaultScopes + (exchangeClients.isEmpty ? [] : [Scope.privyTokenExchange])
    }

    /// The scope the 401 challenge of a protected route names: the app's first.
    public var challengeScope: String { appScopes.first?.name ?? Scope.offlineAccess }

    /// What the consent screen says for a scope: the app's sentence, the server's own wording,
    /// or the name itself.
    public func describe(_ scope: String) -> String {
        appScopes.first { $0.name == scope }?.consent ?? Scope.describeOwn(scope) ?? scope
    }
}
