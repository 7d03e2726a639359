/// The scopes this server grants, with the plain words the consent screen shows.
public enum Scope {
    public static let read = "read"
    public static let write = "write"
    public static let offlineAccess = "offline_access"
    /// Lets a client swap our access token for the user's Privy token; never granted by default.
    public static let privyTokenExchange = "privy:token:exchange"

    /// Granted when a request names no scope (ChatGPT omits it on reconnect).
    public static let defaults = [read, write, offlineAccess]

    /// OpenID scopes some clients add by habit; we do not run OpenID Connect, so they are dropped
    /// rather than failing the whole request.
    static let ignoredOpenIDScopes: Set<String> = ["openid", "profile", "email"]

    public static func describe(_ scope: String) -> String {
        switch scope {
        case read: "See your items"
        case write: "Change your items (complete, reopen, delete)"
        case offlineAccess: "Stay connected without signing in again"
        case privyTokenExchange: "Act with your Privy login on your behalf"
        default: scope
        }
    }

    /// Splits a space-delimited scope string (RFC 6749 §3.3), keeping order, without duplicates.
    public static func parse(_ text: String?) -> [String] {
        var seen: Set<String> = []
        return (text ?? "").split(separator: " ").map(String.init).filter { seen.insert($0).inserted }
    }

    public static func join(_ scopes: [String]) -> String { scopes.joined(separator: " ") }
}
