import Crypto
import Foundation
import Storage
import WebRules

/// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.5) and resource indicators (RFC 8707 §2.2).
struct AuthorizationCodeGrant: TokenGrantHandler {
    let store: any GrantStore
    let issuer: TokenIssuer
    let settings: OAuthSettings
    var grantType: GrantType { .authorizationCode }

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
        guard ByteExact.equal(code.clientID, client.id) else { throw .invalidGrant("authorization code was issued to another client") }
        // RFC 6749 §4.1.3: the same redirect_uri as in the authorization request.
        if let redirectURI = parameters["redirect_uri"] {
            guard ByteExact.equal(redirectURI, code.redirectURI) else {
                throw .invalidGrant("redirect_uri does not match the authorization request")
            }
        } else if client.redirectURIs.count != 1 || !ByteExact.equal(client.redirectURIs[0], code.redirectURI) {
            throw .invalidRequest("redirect_uri is required")
        }
        guard PKCE.isValidVerifier(verifier), PKCE.verify(verifier: verifier, challenge: code.codeChallenge) else {
            throw .invalidGrant("code_verifier does not match the code_challenge")
        }
        if let resource = parameters["resource"] {
            guard ByteExact.equal(try ResourcePolicy(settings: settings).resolve(resource), code.resource) else {
                throw OAuthError(.invalidTarget, "resource does not match the authorization request")
            }
        }
    }
}
