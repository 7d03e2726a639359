import HTTPMessages
import OAuth

/// Reading an OAuth endpoint's body: form-encoded (RFC 6749 §3.2) or the original system's flat
/// JSON, each parameter once (§3.1); anything unreadable is an OAuth `invalid_request` (or 415).
extension Request {
    func oauthPairs() throws(OAuthError) -> [(name: String, value: String)] {
        do {
            return try RequestBody.parameters(of: self)
        } catch {
            throw error.asOAuthError
        }
    }

    func oauthParameters() throws(OAuthError) -> OAuthParameters {
        try OAuthParameters(pairs: oauthPairs())
    }
}
