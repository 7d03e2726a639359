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
    /// `REFRESH_REUSE_INTERVAL`: how long after its first use a refresh token may be presented
    /// again as a retry without revoking its grant (`RefreshRotation` in Storage says why).
    public var refreshReuseInterval: TimeInterval = 5

    /// The app's name in the protected-resource metadata (RFC 9728 §2 `resource_name`).
    public let resourceName: String

    public init(issuer: String, appScopes: [AppScope], exchangeClients: Set<String> = [], resourceName: String = "ChatGPT App") {
        self.issuer = issuer
        self.mcpResource = issuer + "/mcp"
        self.appScopes = appScopes
        self.exchangeClients = exchangeClients
        self.resourceName = resourceName
    }

    /// Resources a token may be bound to (RFC 8707): the MCP URL and the base URL.
    public var acceptedResources: [String] { [mcpResource, issuer] }

    public func endpoint(_ path: String) -> String { issuer + path }

    /// Granted when a request names no scope (ChatGPT omits it on reconnect): all of the app's,
    /// and staying connected.
    public var defaultScopes: [String] { appScopes.map(\.name) + [Scope.offlineAccess] }

    /// What the metadata advertises (RFC 8414 §2, RFC 9728 §2): the app's scopes, and the token
    /// exchange scope when some client may have it. `offline_access` is left out, as MCP
    /// 2026-07-28 authorization asks of servers: it is still accepted when a client asks for it,
    /// and refresh tokens do not depend on it, so ChatGPT's refresh is unchanged.
    public var scopesSupported: [String] {
        appScopes.map(\.name) + (exchangeClients.isEmpty ? [] : [Scope.privyTokenExchange])
    }

    /// What a request may ask for: the advertised scopes and `offline_access`.
    public var grantableScopes: [String] { scopesSupported + [Scope.offlineAccess] }

    /// The scopes a challenge from a protected route names: every scope of the app, so the one
    /// consent a client asks for covers every tool (MCP 2026-07-28 authorization: a challenge
    /// SHOULD list all the scopes the operations need).
    public var challengeScope: String { appScopes.map(\.name).joined(separator: " ") }

    /// What the consent screen says for a scope: the app's sentence, the server's own wording,
    /// or the name itself.
    public func describe(_ scope: String) -> String {
        appScopes.first { $0.name == scope }?.consent ?? Scope.describeOwn(scope) ?? scope
    }
}
