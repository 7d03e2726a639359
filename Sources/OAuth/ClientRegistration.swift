import Crypto
import Foundation
import Storage
import WebRules

/// RFC 7591 dynamic client registration for public clients (token endpoint auth `none`).
public struct ClientRegistration: Sendable {
    public let store: any ClientStore

    public init(store: any ClientStore) { self.store = store }

    /// The registered client's metadata as RFC 7591 §3.2.1 returns it.
    public struct Registered: Encodable, Sendable {
        public let client_id: String
        public let client_id_issued_at: Int
        public let client_name: String?
        public let redirect_uris: [String]
        public let grant_types: [String]
        public let response_types: [String]
        public let token_endpoint_auth_method: String
    }

    public func register(metadata: JSONObject, now: Date = Date()) throws(OAuthError) -> Registered {
        let redirectURIs = try Self.redirectURIs(metadata["redirect_uris"])
        let grantTypes = try Self.stringList(metadata["grant_types"], name: "grant_types") ?? GrantType.all
        let responseTypes = try Self.stringList(metadata["response_types"], name: "response_types") ?? ["code"]
        guard !grantTypes.isEmpty, ByteExact.isSubset(grantTypes, of: GrantType.all) else {
            throw OAuthError(.invalidClientMetadata, "grant_types may only contain " + GrantType.all.joined(separator: " and "))
        }
        guard ByteExact.contains(grantTypes, GrantType.authorizationCode.rawValue) else {
            throw OAuthError(.invalidClientMetadata, "grant_types must include authorization_code")
        }
        guard responseTypes == ["code"] else {
            throw OAuthError(.invalidClientMetadata, "response_types must be [\"code\"]")
        }
        let method = try Self.authMethod(metadata["token_endpoint_auth_method"])
        let name = try ClientName.parse(metadata["client_name"])

        let client = OAuthClient(id: "client_" + SecureRandom.token(byteCount: 16), name: name, redirectURIs: redirectURIs,
                                 grantTypes: grantTypes, responseTypes: responseTypes, tokenEndpointAuthMethod: method,
                                 origin: .registered, createdAt: now)
        do {
            try store.saveClient(client)
        } catch .capacity {
            // The memory store's bound: an RFC 7591 §3.2.2 error body, with the status of a
            // server that cannot take more now (unused clients are deleted over time).
            throw OAuthError.unavailable("this server holds as many registered clients as it can; try again later")
        } catch {
            throw OAuthError.unavailable("client registration is unavailable, try again")
        }
        return Registered(client_id: client.id, client_id_issued_at: Int(now.timeIntervalSince1970), client_name: name,
                          redirect_uris: redirectURIs, grant_types: grantTypes, response_types: responseTypes,
                          token_endpoint_auth_method: method)
    }

    static func redirectURIs(_ value: Any?) throws(OAuthError) -> [String] {
        guard let uris = value as? [Any], !uris.isEmpty else {
            throw OAuthError(.invalidRedirectURI, "redirect_uris must be a non-empty array")
        }
        guard uris.count <= 20 else { throw OAuthError(.invalidRedirectURI, "at most 20 redirect_uris") }
        var result: [String] = []
        for uri in uris {
            guard let uri = uri as? String else { throw OAuthError(.invalidRedirectURI, "redirect_uris must be strings") }
            if let problem = RedirectURIPolicy.registrationProblem(uri) { throw OAuthError(.invalidRedirectURI, problem) }
            if !result.contains(uri) { result.append(uri) }
        }
        return result
    }

    static func stringList(_ value: Any?, name: String) throws(OAuthError) -> [String]? {
        guard let value else { return nil }
        guard let list = value as? [Any], list.count <= 10, let strings = list as? [String] else {
            throw OAuthError(.invalidClientMetadata, "\(name) must be an array of strings")
        }
        return strings
    }

    /// Only public clients exist here. A client asking for a secret-based method gets `none`
    /// instead, which RFC 7591 §3.2.1 allows ("substitute them with suitable values"); methods
    /// we cannot honour at all are refused.
    static func authMethod(_ value: Any?) throws(OAuthError) -> String {
        guard let value else { return "none" }
        guard let method = value as? String else {
            throw OAuthError(.invalidClientMetadata, "token_endpoint_auth_method must be a string")
        }
        switch method {
        case "none", "client_secret_post", "client_secret_basic": return "none"
        default: throw OAuthError(.invalidClientMetadata, "token_endpoint_auth_method must be none")
        }
    }
}
