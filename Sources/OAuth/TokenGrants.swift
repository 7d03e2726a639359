import Crypto
import Foundation
import Storage

/// One type per grant type; the token endpoint dispatches on `grant_type` after its shared checks.
protocol TokenGrantHandler: Sendable {
    var grantType: String { get }
    func exchange(_ parameters: OAuthParameters, client: OAuthClient, now: Date) throws(OAuthError) -> TokenResponse
}

/// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.5) and resource indicators (RFC 8707 §2.2).
struct AuthorizationCodeGrant: TokenGrantHandler {
    let store: any GrantStore
    let issuer: TokenIssuer
    let settings: OAuthSettings
    var grantType: String { "authorization_code" }

    func exchange(_ parameters: OAuthParameters, client: OAuthClient, now: Date) throws(OAuthError) -> TokenResponse {
        let code = try parameters.required("code")
        guard let verifier = parameters["code_verifier"] else { throw .invalidRequest("code_verifier is required (PKCE)") }

        let redemption: CodeRedemption
        do {
            redemption = try store.redeemCode(hash: SHA256.hexHash(code), now: now)
        } catch {
            throw .unavailable("authorization storage is unavailable, try again")
        }
        let stored: AuthorizationCode, grant: Grant
        switch redemption {
        case .invalid:
            throw .invalidGrant("authorization code is invalid or expired")
        case .replayed(let grantID):
            // RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it.
            try? store.revokeGrant(id: grantID, now: now)
            throw .invalidGrant("authorization code was already used; tokens issued from it are revoked")
        case .redeemed(let code, let codeGrant):
            guard codeGrant.revokedAt == nil else { throw .invalidGrant("the grant of this authorization code was revoked") }
            stored = code
            grant = codeGrant
        }
        // The code is spent whatever happens next: a failed check burns it and its grant.
        do {
            try checkBinding(stored, parameters: parameters, client: client, verifier: verifier)
        } catch {
            try? store.revokeGrant(id: grant.id, now: now)
            throw error
        }
        return try issuer.issue(grant: grant, accessScopes: grant.scopes, refreshScopes: grant.scopes, now: now)
    }

    private func checkBinding(_ code: AuthorizationCode, parameters: OAuthParameters, client: OAuthClient,
                              verifier: String) throws(OAuthError) {
        guard code.clientID == client.id else { throw .invalidGrant("authorization code was issued to another client") }
        // RFC 6749 §4.1.3: the same redirect_uri as in the authorization request.
        if let redirectURI = parameters["redirect_uri"] {
            guard redirectURI == code.redirectURI else { throw .invalidGrant("redirect_uri does not match the authorization request") }
        } else if client.redirectURIs != [code.redirectURI] {
            throw .invalidRequest("redirect_uri is required")
        }
        guard PKCE.isValidVerifier(verifier), PKCE.verify(verifier: verifier, challenge: code.codeChallenge) else {
            throw .invalidGrant("code_verifier does not match the code_challenge")
        }
        if let resource = parameters["resource"] {
            guard try ResourcePolicy(settings: settings).resolve(resource) == code.resource else {
                throw OAuthError(.invalidTarget, "resource does not match the authorization request")
            }
        }
    }
}

/// RFC 6749 §6 with rotation: every use returns a new refresh token; a used one presented again
/// means it leaked, so the whole grant is revoked (RFC 9700 §4.14.2).
struct RefreshTokenGrant: TokenGrantHandler {
    let store: any GrantStore
    let issuer: TokenIssuer
    let settings: OAuthSettings
    var grantType: String { "refresh_token" }

    func exchange(_ parameters: OAuthParameters, client: OAuthClient, now: Date) throws(OAuthError) -> TokenResponse {
        let presented = try parameters.required("refresh_token")
        let hash = SHA256.hexHash(presented)
        let token: RefreshToken, grant: Grant
        do {
            guard let found = try store.refreshToken(hash: hash) else { throw OAuthError.invalidGrant("refresh token is invalid") }
            guard found.clientID == client.id else { throw OAuthError.invalidGrant("refresh token was issued to another client") }
            if found.usedAt != nil {
                try store.revokeGrant(id: found.grantID, now: now)
                throw OAuthError.invalidGrant("refresh token was already used; the grant has been revoked")
            }
            guard found.revokedAt == nil, found.expiresAt > now else { throw OAuthError.invalidGrant("refresh token is revoked or expired") }
            guard let foundGrant = try store.grant(id: found.grantID), foundGrant.revokedAt == nil else {
                throw OAuthError.invalidGrant("the grant of this refresh token was revoked")
            }
            token = found
            grant = foundGrant
        } catch let error as OAuthError {
            throw error
        } catch {
            throw .unavailable("token storage is unavailable, try again")
        }
        // RFC 6749 §6: the scope may shrink but never grow.
        var accessScopes = token.scopes
        if let requested = parameters["scope"] {
            let scopes = Scope.parse(requested)
            guard Set(scopes).isSubset(of: token.scopes) else {
                throw OAuthError(.invalidScope, "scope exceeds the scope originally granted")
            }
            accessScopes = scopes
        }
        if let resource = parameters["resource"] {
            guard try ResourcePolicy(settings: settings).resolve(resource) == grant.resource else {
                throw OAuthError(.invalidTarget, "resource does not match the grant")
            }
        }
        return try issuer.issue(grant: grant, accessScopes: accessScopes, refreshScopes: token.scopes, now: now,
                                rotating: hash)
    }
}

/// The token endpoint's shared checks, then dispatch by grant type (RFC 6749 §3.2, §5.2).
public struct TokenEndpoint: Sendable {
    let clients: ClientDirectory
    let handlers: [String: any TokenGrantHandler]

    init(clients: ClientDirectory, handlers: [any TokenGrantHandler]) {
        self.clients = clients
        self.handlers = Dictionary(uniqueKeysWithValues: handlers.map { ($0.grantType, $0) })
    }

    public func exchange(_ parameters: OAuthParameters, now: Date = Date()) throws(OAuthError) -> TokenResponse {
        let grantType = try parameters.required("grant_type")
        guard let handler = handlers[grantType] else {
            throw OAuthError(.unsupportedGrantType, "grant_type must be authorization_code or refresh_token")
        }
        // Public clients identify themselves with client_id alone (RFC 6749 §2.3, OAuth 2.1 §2.4).
        guard let clientID = parameters["client_id"] else { throw OAuthError(.invalidClient, "client_id is required") }
        let client = try clients.client(id: clientID)
        guard client.grantTypes.contains(grantType) else {
            throw OAuthError(.unauthorizedClient, "this client may not use grant_type \(grantType)")
        }
        return try handler.exchange(parameters, client: client, now: now)
    }
}
