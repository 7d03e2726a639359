import Foundation

/// What the OAuth rules need to know about this server, derived once from the configuration.
public struct OAuthSettings: Sendable {
    /// `SERVER_BASE_URL`: the issuer (RFC 8414 §2) and the base of every endpoint.
    public let issuer: String
    /// The protected resource (RFC 9728): our MCP endpoint URL.
    public let mcpResource: String
    /// Client ids allowed `privy:token:exchange` (`PRIVY_EXCHANGE_CLIENTS`).
    public let exchangeClients: Set<String>

    public var codeLifetime: TimeInterval = 60
    public var accessTokenLifetime: TimeInterval = 3600
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600

    public init(issuer: String, exchangeClients: Set<String> = []) {
        self.issuer = issuer
        self.mcpResource = issuer + "/mcp"
        self.exchangeClients = exchangeClients
    }

    /// Resources a token may be bound to (RFC 8707): the MCP URL and the base URL.
    public var acceptedResources: [String] { [mcpResource, issuer] }

    public func endpoint(_ path: String) -> String { issuer + path }

    public var scopesSupported: [String] {
        Scope.defaults + (exchangeClients.isEmpty ? [] : [Scope.privyTokenExchange])
    }
}
