/// A scope the app declares (its manifest) with the sentence the consent screen shows for it.
public struct AppScope: Sendable, Equatable {
    public let name: String
    public let consent: String

    public init(name: String, consent: String) {
        self.name = name
        self.consent = consent
    }
}

/// The scopes the server itself knows, beside the app's own.
public enum Scope {
    public static let offlineAccess = "offline_access"
    /// Lets a client swap our access token for the user's Privy token; never granted by default.
    public static let privyTokenExchange = "privy:token:exchange"

    /// Names an app may not declare: the server's own, and OpenID's.
    public static let reserved: Set<String> = [offlineAccess, privyTokenExchange, "openid", "profile", "email"]

    /// OpenID scopes some clients add by habit; we do not run OpenID Connect, so they are dropped
    /// rather than failing the whole request.
    static let ignoredOpenIDScopes: Set<String> = ["openid", "profile", "email"]

    /// The consent wording of the server's own scopes.
    static func describeOwn(_ scope: String) -> String? {
        switch scope {
        case offlineAccess: "Stay connected without signing in again"
        case privyTokenExchange: "Act with your Privy login on your behalf"
        default: nil
        }
    }

    /// Splits a space-delimited scope string (RFC 6749 §3.3), keeping order, without duplicates.
    public static func parse(_ text: String?) -> [String] {
        var seen: Set<String> = []
        return (text ?? "").split(separator: " ").map(String.init).filter { seen.insert($0).inserted }
    }

    public static func join(_ scopes: [String]) -> String { scopes.joined(separator: " ") }
}
