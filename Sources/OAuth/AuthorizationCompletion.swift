import Crypto
import Foundation
import Storage
import WebRules

/// The end of the authorization step: the user has logged in and approved or denied. Mints a
/// single-use code bound to everything the token request must repeat, or reports the denial.
public struct AuthorizationCompletion: Sendable {
    let store: any GrantStore
    let identity: any IdentityVerifier
    let settings: OAuthSettings

    public init(store: any GrantStore, identity: any IdentityVerifier, settings: OAuthSettings) {
        self.store = store
        self.identity = identity
        self.settings = settings
    }

    public struct Outcome: Sendable, Equatable {
        /// The full URL to send the browser to (code or error, state, iss).
        public let redirectURI: String
        public let code: String?
        public let state: String?
    }

    /// The login the user approved with: the Privy token, and optionally a second one tried only
    /// when the first does not verify (the original system's `fallback_token`, which its clients
    /// send when they hold both an older and a freshly refreshed token). The code is bound to
    /// whichever verified, since that is the token tools will call the user's API with.
    public struct Login: Sendable, Equatable {
        public var privyToken: String
        public var fallbackToken: String?
        /// The user the caller says signed in; must be the verified token's user when given.
        public var claimedUserID: String?

        public init(privyToken: String, fallbackToken: String? = nil, claimedUserID: String? = nil) {
            self.privyToken = privyToken
            self.fallbackToken = fallbackToken
            self.claimedUserID = claimedUserID
        }
    }

    /// The user's refusal, sent back to the client's trusted redirect URI (RFC 6749 §4.1.2.1).
    public func deny(_ request: AuthorizationRequest) -> Outcome {
        Outcome(redirectURI: errorRedirect(Self.denial, request: request), code: nil, state: request.state)
    }

    public static let denial = OAuthError(.accessDenied, "the user denied the request")

    /// The user approved: verifies the login and mints a single-use code for this request.
    public func approve(_ request: AuthorizationRequest, login: Login, now: Date = Date()) throws(OAuthError) -> Outcome {
        let (user, privyToken) = try signedInUser(login)
        if let claimed = login.claimedUserID, !ByteExact.equal(claimed, user.userID) {
            // The original system's answer: a request naming another user is malformed (400), the
            // token itself was fine.
            throw OAuthError(.invalidRequest, "privy_user_id does not match the login token")
        }

        let code = SecureRandom.token(byteCount: 32)
        let grant = Grant(id: UUID().uuidString.lowercased(), clientID: request.client.id, userID: user.userID,
                          scopes: request.scopes, resource: request.resource, privyAccessToken: privyToken, createdAt: now)
        let record = AuthorizationCode(codeHash: SHA256.hexHash(code), grantID: grant.id, clientID: request.client.id,
                                       redirectURI: request.redirectURI, codeChallenge: request.codeChallenge,
                                       scopes: request.scopes, resource: request.resource, userID: user.userID,
                                       expiresAt: now.addingTimeInterval(settings.codeLifetime))
        do {
            try store.createGrant(grant, code: record)
        } catch {
            throw .unavailable("authorization storage is unavailable, try again")
        }
        // RFC 6749 §4.1.2 (code, state) and RFC 9207 §2 (iss).
        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        parameters.append(("iss", settings.issuer))
        return Outcome(redirectURI: RedirectURIPolicy.appending(parameters, to: request.redirectURI), code: code,
                       state: request.state)
    }

    /// The verified user and the token that proved it: the Privy token, else the fallback. Both
    /// refused is 401 `invalid_token` naming the first token's failed check; 503 when either could
    /// not be judged because Privy's keys are unreachable (retrying may succeed).
    func signedInUser(_ login: Login) throws(OAuthError) -> (VerifiedIdentity, String) {
        let firstFailure: OAuthError
        do {
            return (try signedInUser(privyToken: login.privyToken), login.privyToken)
        } catch {
            firstFailure = error
        }
        guard let fallback = login.fallbackToken else { throw firstFailure }
        do {
            return (try signedInUser(privyToken: fallback), fallback)
        } catch {
            throw firstFailure.status == 503 ? firstFailure : error.status == 503 ? error : firstFailure
        }
    }

    /// Who the login token says the user is, with the answers every caller gives: 400 for a
    /// missing token, 401 `invalid_token` naming the failed check (RFC 6750 §3.1), 503 when the
    /// provider's keys cannot be obtained (the token was not judged either way).
    public func signedInUser(privyToken: String?) throws(OAuthError) -> VerifiedIdentity {
        guard let privyToken else { throw OAuthError(.invalidRequest, "privy_token is required") }
        do {
            return try identity.verify(token: privyToken)
        } catch {
            switch error {
            case .invalid(let reason):
                throw OAuthError(.invalidToken, "login could not be verified: \(reason)", status: 401)
            case .unavailable(let reason):
                throw .unavailable("login service is unavailable: \(reason)")
            }
        }
    }

    /// An error sent back to a trusted redirect URI with `state` and `iss` (RFC 6749 §4.1.2.1, RFC 9207).
    public func errorRedirect(_ error: OAuthError, request: AuthorizationRequest) -> String {
        Self.errorRedirect(error, redirectURI: request.redirectURI, state: request.state, issuer: settings.issuer)
    }

    public static func errorRedirect(_ error: OAuthError, redirectURI: String, state: String?, issuer: String) -> String {
        var parameters = [("error", error.code.rawValue), ("error_description", error.description)]
        if let state { parameters.append(("state", state)) }
        parameters.append(("iss", issuer))
        return RedirectURIPolicy.appending(parameters, to: redirectURI)
    }
}
