import HTTPMessages
import OAuth

/// `POST /register`: RFC 7591 dynamic client registration, 201 with the registered metadata.
enum RegistrationRoutes {
    static func register(on router: inout Router, services: AppServices) {
        let registration = services.oauth.registration
        router.post(OAuthEndpoint.register) { request in
            guard request.mediaType == "application/json" else {
                throw OAuthError(.invalidClientMetadata, "registration requests must be application/json", status: 415)
            }
            let metadata: [String: Any]
            do {
                metadata = try RequestBody.jsonObject(request.body)
            } catch {
                throw OAuthError(.invalidClientMetadata, "body is not a JSON object")
            }
            return .oauthJSON(try registration.register(metadata: metadata, now: services.clock()), status: 201)
        }
    }
}
