import HTTPMessages
import OAuth
import Privy

/// Who signed in, for the consent screen's "Signed in as".
enum IdentityRoute {
    static func register(on router: inout Router, services: AppServices) {
        router.post("/authorize/identity") { request in try identity(request, services: services) }
    }

    /// `POST /authorize/identity`: who the Privy token belongs to, for the consent screen's
    /// "Signed in as ...", asked after login and before the decision. The token is checked
    /// exactly as the decision checks it (same verifier, same 400/401/503 answers); the email
    /// comes from Privy's user record when PRIVY_APP_SECRET is set, within the lookup's time
    /// bound, and is left out on any failure: it is only shown, never trusted. Nothing is stored.
    static func identity(_ request: Request, services: AppServices) throws -> Response {
        let parameters = try request.oauthParameters()
        let user = try services.oauth.completion.signedInUser(privyToken: parameters["privy_token"])
        return .oauthJSON(SignedInIdentity(privy_user_id: user.userID, email: services.userEmails?.email(userID: user.userID)))
    }

    struct SignedInIdentity: Encodable {
        let privy_user_id: String
        /// Left out of the JSON when unknown (synthesized Encodable skips nil optionals).
        let email: String?
    }
}
