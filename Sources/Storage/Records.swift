import Foundation

/// An OAuth client: the static ChatGPT connector, one registered through RFC 7591, or one known
/// from its Client ID Metadata Document.
public struct OAuthClient: Sendable, Equatable, Codable {
    public enum Origin: String, Sendable, Codable { case builtIn = "static", registered = "dcr", metadataDocument = "cimd" }

    public var id: String
    public var name: String?
    /// Redirect URIs compared by exact string match (RFC 9700 §4.1.3).
    public var redirectURIs: [String]
    /// Prefixes for redirect URIs whose last segment changes per connector (the ChatGPT
    /// `https://chatgpt.com/connector/oauth/{callback_id}` form); only the built-in client has any.
    public var redirectURIPrefixes: [String]
    public var grantTypes: [String]
    public var responseTypes: [String]
    public var tokenEndpointAuthMethod: String
    public var origin: Origin
    public var createdAt: Date
    /// When a token was last issued to the client (to a day, `ClientRetention.useResolution`);
    /// nil until its first.
    public var lastUsedAt: Date?

    public init(id: String, name: String?, redirectURIs: [String], redirectURIPrefixes: [String] = [],
                grantTypes: [String] = ["authorization_code", "refresh_token"], responseTypes: [String] = ["code"],
                tokenEndpointAuthMethod: String = "none", origin: Origin, createdAt: Date = Date(), lastUsedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.redirectURIs = redirectURIs
        self.redirectURIPrefixes = redirectURIPrefixes
        self.grantTypes = grantTypes
        self.responseTypes = responseTypes
        self.tokenEndpointAuthMethod = tokenEndpointAuthMethod
        self.origin = origin
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

/// One user's consent to one client: the family every code, refresh token and access token
/// issued from that consent belongs to. Revoking the grant revokes all of them at once.
public struct Grant: Sendable, Equatable {
    public var id: String
    public var clientID: String
    /// The Privy DID of the user.
    public var userID: String
    public var scopes: [String]
    /// The RFC 8707 resource the tokens are for (their `aud`).
    public var resource: String
    /// The user's Privy access token, used to call the user's API on their behalf. A secret:
    /// stores keep it encrypted at rest.
    public var privyAccessToken: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, clientID: String, userID: String, scopes: [String], resource: String,
                privyAccessToken: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.clientID = clientID
        self.userID = userID
        self.scopes = scopes
        self.resource = resource
        self.privyAccessToken = privyAccessToken
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A single-use authorization code, stored by the SHA-256 of its value.
public struct AuthorizationCode: Sendable, Equatable {
    public var codeHash: String
    public var grantID: String
    public var clientID: String
    public var redirectURI: String
    /// PKCE S256 challenge (RFC 7636 §4.2).
    public var codeChallenge: String
    public var scopes: [String]
    public var resource: String
    public var userID: String
    public var expiresAt: Date
    public var usedAt: Date?

    public init(codeHash: String, grantID: String, clientID: String, redirectURI: String, codeChallenge: String,
                scopes: [String], resource: String, userID: String, expiresAt: Date, usedAt: Date? = nil) {
        self.codeHash = codeHash
        self.grantID = grantID
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.scopes = scopes
        self.resource = resource
        self.userID = userID
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

/// An opaque refresh token, stored by the SHA-256 of its value. Rotated on every use: the old
/// one gets `usedAt`, and presenting it again revokes the whole grant (RFC 9700 §4.14.2).
public struct RefreshToken: Sendable, Equatable {
    public var tokenHash: String
    public var grantID: String
    public var clientID: String
    public var userID: String
    public var scopes: [String]
    public var expiresAt: Date
    public var createdAt: Date
    public var usedAt: Date?
    public var revokedAt: Date?

    public init(tokenHash: String, grantID: String, clientID: String, userID: String, scopes: [String],
                expiresAt: Date, createdAt: Date, usedAt: Date? = nil, revokedAt: Date? = nil) {
        self.tokenHash = tokenHash
        self.grantID = grantID
        self.clientID = clientID
        self.userID = userID
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.usedAt = usedAt
        self.revokedAt = revokedAt
    }
}

/// What we remember about an issued access token (a JWT), keyed by its `jti`, so it can be
/// revoked before it expires and so tools can find the grant's Privy token.
public struct AccessTokenSession: Sendable, Equatable {
    public var jti: String
    public var grantID: String
    public var clientID: String
    public var userID: String
    public var scopes: [String]
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(jti: String, grantID: String, clientID: String, userID: String, scopes: [String],
                expiresAt: Date, revokedAt: Date? = nil) {
        self.jti = jti
        self.grantID = grantID
        self.clientID = clientID
        self.userID = userID
        self.scopes = scopes
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// An item of the built-in demo API that tools use when no BACKEND_API_URL is configured.
public struct DemoItem: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var status: String   // "open" or "done"
    public var createdAt: Date

    public init(id: String, title: String, status: String, createdAt: Date) {
        self.id = id
        self.title = title
        self.status = status
        self.createdAt = createdAt
    }
}
