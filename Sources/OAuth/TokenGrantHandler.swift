import Foundation
import Storage
import WebRules

/// One type per grant type; the token endpoint dispatches on `grant_type` after its shared checks.
protocol TokenGrantHandler: Sendable {
    var grantType: GrantType { get }
    func exchange(_ parameters: OAuthParameters, client: OAuthClient, now: Date) throws(OAuthError) -> TokenResponse
}

/// The token endpoint's shared checks, then dispatch by grant type (RFC 6749 §3.2, §5.2).
public struct TokenEndpoint: Sendable {
    let clients: ClientDirectory
    let handlers: [String: any TokenGrantHandler]

    init(clients: ClientDirectory, handlers: [any TokenGrantHandler]) {
        self.clients = clients
        self.handlers = Dictionary(uniqueKeysWithValues: handlers.map { ($0.grantType.rawValue, $0) })
    }

    public func exchange(_ parameters: OAuthParameters, now: Date = Date()) throws(OAuthError) -> TokenResponse {
        let grantType = try parameters.required("grant_type")
        guard let handler = handlers[grantType] else {
            throw OAuthError(.unsupportedGrantType, "grant_type must be " + handlers.keys.sorted().joined(separator: " or "))
        }
        // Public clients identify themselves with client_id alone (RFC 6749 §2.3, OAuth 2.1 §2.4).
        guard let clientID = parameters["client_id"] else { throw OAuthError(.invalidClient, "client_id is required") }
        let client = try clients.client(id: clientID)
        guard ByteExact.contains(client.grantTypes, grantType) else {
            throw OAuthError(.unauthorizedClient, "this client may not use grant_type \(grantType)")
        }
        return try handler.exchange(parameters, client: client, now: now)
    }
}
