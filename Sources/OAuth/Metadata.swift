/// Discovery documents, generated from the same settings that switch the endpoints on, so they
/// cannot drift from what the server does.
public struct Metadata: Sendable {
    let settings: OAuthSettings
    let clientMetadataDocuments: Bool

    public init(settings: OAuthSettings, clientMetadataDocuments: Bool) {
        self.settings = settings
        self.clientMetadataDocuments = clientMetadataDocuments
    }

    /// RFC 8414 §2.
    public struct AuthorizationServer: Encodable, Sendable {
        let issuer: String
        let authorization_endpoint: String
        let token_endpoint: String
        let registration_endpoint: String
        let revocation_endpoint: String
        let introspection_endpoint: String
        let jwks_uri: String
        let response_types_supported: [String]
        let response_modes_supported: [String]
        let grant_types_supported: [String]
        let code_challenge_methods_supported: [String]
        let token_endpoint_auth_methods_supported: [String]
        let revocation_endpoint_auth_methods_supported: [String]
        let introspection_endpoint_auth_methods_supported: [String]
        let scopes_supported: [String]
        let authorization_response_iss_parameter_supported: Bool
        let client_id_metadata_document_supported: Bool
        let resource_indicators_supported: Bool
    }

    public var authorizationServer: AuthorizationServer {
        AuthorizationServer(
            issuer: settings.issuer,
            authorization_endpoint: settings.endpoint(OAuthEndpoint.authorize),
            token_endpoint: settings.endpoint(OAuthEndpoint.token),
            registration_endpoint: settings.endpoint(OAuthEndpoint.register),
            revocation_endpoint: settings.endpoint(OAuthEndpoint.revoke),
            introspection_endpoint: settings.endpoint(OAuthEndpoint.introspect),
            jwks_uri: settings.endpoint(OAuthEndpoint.jwks),
            response_types_supported: ["code"],
            response_modes_supported: ["query"],
            grant_types_supported: GrantType.all,
            code_challenge_methods_supported: ["S256"],
            token_endpoint_auth_methods_supported: ["none"],
            revocation_endpoint_auth_methods_supported: ["none"],
            introspection_endpoint_auth_methods_supported: ["bearer"],
            scopes_supported: settings.scopesSupported,
            authorization_response_iss_parameter_supported: true,
            client_id_metadata_document_supported: clientMetadataDocuments,
            resource_indicators_supported: true
        )
    }

    /// RFC 9728 §2, for the MCP endpoint (and the root form clients try).
    public struct ProtectedResource: Encodable, Sendable {
        let resource: String
        let authorization_servers: [String]
        let scopes_supported: [String]
        let bearer_methods_supported: [String]
        let resource_name: String
    }

    public func protectedResource(resource: String) -> ProtectedResource {
        ProtectedResource(resource: resource, authorization_servers: [settings.issuer], scopes_supported: settings.scopesSupported,
                          bearer_methods_supported: ["header"], resource_name: settings.resourceName)
    }

    public var protectedResourceMetadataURL: String {
        settings.endpoint(OAuthEndpoint.protectedResourceMetadata)
    }
}
