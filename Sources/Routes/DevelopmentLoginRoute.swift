import HTTPMessages
import OAuth
import Privy

/// `POST /authorize/dev-login`, only while the development login stands in for Privy (no
/// PRIVY_APP_ID, loopback origin): a Privy-format token for any email, signed by a key of this run.
enum DevelopmentLoginRoute {
    static func register(on router: inout Router, services: AppServices) {
        guard let login = services.developmentLogin else { return }
        router.post("/authorize/dev-login") { request in try developmentLogin(request, login: login) }
    }

    static func developmentLogin(_ request: Request, login: DevelopmentLogin) throws -> Response {
        let parameters = try request.oauthParameters()
        let token: String
        let userID: String
        do {
            token = try login.issueToken(email: parameters.required("email"))
            userID = try PrivyTokenVerifier(appID: DevelopmentLogin.appID, keys: login.keySource).verify(token).userID
        } catch let error as OAuthError {
            throw error
        } catch {
            throw OAuthError.invalidRequest("development login: \(error)")
        }
        return .oauthJSON(DevelopmentToken(privy_token: token, privy_user_id: userID))
    }

    struct DevelopmentToken: Encodable {
        let privy_token: String
        let privy_user_id: String
    }
}
