import Storage

/// Finds a client by id: registered and built-in clients from the store, metadata-document
/// clients from their URL.
public struct ClientDirectory: Sendable {
    public let store: any ClientStore
    public let documents: ClientMetadataDocuments?

    public init(store: any ClientStore, documents: ClientMetadataDocuments?) {
        self.store = store
        self.documents = documents
    }

    /// The client, or `invalid_client` (unknown) / `temporarily_unavailable` (storage down).
    public func client(id: String) throws(OAuthError) -> OAuthClient {
        if let documents, ClientMetadataDocuments.isDocumentURL(id) {
            return try documents.client(id: id)
        }
        let found: OAuthClient?
        do {
            found = try store.client(id: String(id.prefix(512)))
        } catch {
            throw OAuthError.unavailable("client lookup is unavailable, try again")
        }
        guard let found else {
            // A plain-http URL is no registered id; say why it is not fetched either (Client ID
            // Metadata Documents are https only).
            if id.lowercased().hasPrefix("http://") {
                throw OAuthError(.invalidClient, "unknown client_id: a client_id URL must be https")
            }
            throw OAuthError(.invalidClient, "unknown client_id")
        }
        return found
    }
}
