import WebRules

/// Which scopes a request gets.
struct ScopePolicy {
    let settings: OAuthSettings

    /// Absent scope -> the defaults; OpenID scopes are dropped; anything unknown, or the exchange
    /// scope for a client not allowed it, is `invalid_scope` (RFC 6749 §3.3).
    func grantable(requested: String?, clientID: String) throws(OAuthError) -> [String] {
        let scopes = Scope.parse(requested).filter { !Scope.ignoredOpenIDScopes.contains($0) }
        if scopes.isEmpty { return settings.defaultScopes }
        for scope in scopes where !ByteExact.contains(settings.grantableScopes, scope) {
            throw OAuthError(.invalidScope, "unknown scope '\(scope.prefix(64))'")
        }
        if ByteExact.contains(scopes, Scope.privyTokenExchange) && !ByteExact.contains(settings.exchangeClients, clientID) {
            throw OAuthError(.invalidScope, "this client may not request \(Scope.privyTokenExchange)")
        }
        return scopes
    }
}
