import Foundation
import HTTPClient
import OAuth
import Storage
import Testing

/// Serves canned documents and counts fetches.
final class CannedFetcher: HTTPFetching, @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [String: Result<HTTPClientResponse, HTTPClientError>] = [:]
    private(set) var fetches = 0

    func serve(_ url: String, status: Int = 200, json: String, cacheControl: String? = nil) {
        var headers: [String: String] = ["content-type": "application/json"]
        headers["cache-control"] = cacheControl
        lock.withLock { responses[url] = .success(HTTPClientResponse(status: status, headers: headers, body: Array(json.utf8))) }
    }

    func fail(_ url: String, _ error: HTTPClientError) {
        lock.withLock { responses[url] = .failure(error) }
    }

    func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        let response = lock.withLock { () -> Result<HTTPClientResponse, HTTPClientError>? in
            fetches += 1
            return responses[request.url]
        }
        guard let response else { throw .connectionFailed("no such host") }
        return try response.get()
    }
}

final class Clock: @unchecked Sendable {
    var now = Date(timeIntervalSince1970: 1_800_000_000)
}

@Suite struct ClientMetadataDocumentsTests {
    static let url = "https://client.example/oauth/client.json"
    let fetcher = CannedFetcher()
    let clock = Clock()
    var documents: ClientMetadataDocuments { ClientMetadataDocuments(fetcher: fetcher, clock: { [clock] in clock.now }) }

    func document(clientID: String = url, redirect: String = "https://client.example/cb") -> String {
        #"{"client_id":"\#(clientID)","client_name":"Example","redirect_uris":["\#(redirect)"],"token_endpoint_auth_method":"none"}"#
    }

    @Test func fetchesValidatesAndCachesPerMaxAge() throws {
        fetcher.serve(Self.url, json: document(), cacheControl: "public, max-age=600")
        let documents = self.documents
        let client = try documents.client(id: Self.url)
        #expect(client.redirectURIs == ["https://client.example/cb"])
        #expect(client.name == "Example")
        _ = try documents.client(id: Self.url)
        #expect(fetcher.fetches == 1)
        clock.now = clock.now.addingTimeInterval(601)
        _ = try documents.client(id: Self.url)
        #expect(fetcher.fetches == 2)
    }

    @Test(arguments: [
        (200, #"{"client_id":"https://other.example/c.json","redirect_uris":["https://client.example/cb"]}"#),
        (200, #"{"client_id":"https://client.example/oauth/client.json","redirect_uris":["http://evil.example/cb"]}"#),
        (200, #"{"client_id":"https://client.example/oauth/client.json"}"#),
        (200, "not json"),
        (404, "{}"),
        (302, "{}"),
    ])
    func refusesDocumentsThatDoNotHoldUp(_ status: Int, _ body: String) {
        fetcher.serve(Self.url, status: status, json: body)
        #expect(throws: OAuthError.self) { try documents.client(id: Self.url) }
    }

    @Test func plainHTTPClientIDsAreNeitherFetchedNorKnown() {
        let directory = ClientDirectory(store: MemoryStore(), documents: documents)
        do {
            _ = try directory.client(id: "http://client.example/oauth/client.json")
            Issue.record("an http client_id URL was accepted")
        } catch {
            #expect(error.code == .invalidClient)
            #expect(error.description.contains("must be https"))
        }
        #expect(fetcher.fetches == 0)
    }

    @Test func transportFailuresAreInvalidClient() {
        fetcher.fail(Self.url, .refusedAddress("127.0.0.1"))
        #expect(oauthError { _ = try documents.client(id: Self.url) } == .invalidClient)
    }

    @Test func lifetimeFollowsCacheControlWithinBounds() {
        #expect(ClientMetadataDocuments.lifetimeForTesting("max-age=30") == 60)
        #expect(ClientMetadataDocuments.lifetimeForTesting("max-age=999999") == 86_400)
        #expect(ClientMetadataDocuments.lifetimeForTesting("no-store") == 60)
        #expect(ClientMetadataDocuments.lifetimeForTesting(nil) == 3600)
        #expect(ClientMetadataDocuments.lifetimeForTesting("max-age=nan") == 3600)
        #expect(ClientMetadataDocuments.lifetimeForTesting("max-age=inf") == 3600)
    }
}
