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
    static let otherURL = "https://other.example/oauth/client.json"
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

    /// Nothing about resolution, connection, TLS or addresses reaches the caller: it would tell
    /// an anonymous caller how names resolve inside our network.
    @Test(arguments: [
        HTTPClientError.refusedAddress("127.0.0.1 in Loopback (RFC 1122)"),
        .connectionFailed("Could not resolve host: intranet.corp"),
        .connectionFailed("SSL: no alternative certificate subject name matches target host name 'db.internal'"),
        .timedOut,
        .invalidURL("URL using bad/illegal format"),
        .transferFailed("Recv failure: Connection reset by peer"),
    ])
    func transportFailuresAreInvalidClientWithAGenericDescription(_ failure: HTTPClientError) {
        fetcher.fail(Self.url, failure)
        do {
            _ = try documents.client(id: Self.url)
            Issue.record("a failed fetch was accepted")
        } catch {
            #expect(error.code == .invalidClient && error.status == 401)
            #expect(error.description == "client metadata document could not be fetched")
        }
    }

    /// What the host itself answered is no secret: anyone fetching the URL sees it too.
    @Test func documentProblemsAreNamed() {
        fetcher.serve(Self.url, status: 404, json: "{}")
        #expect(oauthDescription { _ = try documents.client(id: Self.url) } == "client metadata document answered HTTP 404")
        fetcher.fail(Self.otherURL, .responseTooLarge)
        #expect(oauthDescription { _ = try documents.client(id: Self.otherURL) } == "client metadata document is larger than 64 KiB")
    }

    @Test func failuresAreCachedForAMinute() throws {
        let documents = self.documents
        fetcher.fail(Self.url, .connectionFailed("Could not resolve host: client.example"))
        for _ in 0..<5 { #expect(oauthError { _ = try documents.client(id: Self.url) } == .invalidClient) }
        #expect(fetcher.fetches == 1)
        // The failure is remembered, not the absence of a document: a fixed host is seen again
        // once the minute is over.
        fetcher.serve(Self.url, json: document())
        clock.now = clock.now.addingTimeInterval(59)
        #expect(oauthError { _ = try documents.client(id: Self.url) } == .invalidClient)
        #expect(fetcher.fetches == 1)
        clock.now = clock.now.addingTimeInterval(2)
        _ = try documents.client(id: Self.url)
        _ = try documents.client(id: Self.url)
        #expect(fetcher.fetches == 2)
    }

    @Test func documentsThatDoNotHoldUpAreCachedAsFailuresToo() {
        let documents = self.documents
        fetcher.serve(Self.url, json: "not json")
        for _ in 0..<3 { #expect(oauthError { _ = try documents.client(id: Self.url) } == .invalidClient) }
        #expect(fetcher.fetches == 1)
    }

    @Test func invalidURLsAreRefusedWithoutFetchingOrCaching() {
        let documents = self.documents
        for url in ["https://client.example/c.json#x", "https://user@client.example/c.json", "https://" + String(repeating: "a", count: 2000)] {
            #expect(oauthDescription { _ = try documents.client(id: url) } == "client_id is not a valid metadata document URL")
        }
        #expect(fetcher.fetches == 0)
    }

    /// Least recently used documents go first; a document in use survives a flood of others.
    @Test func cacheEvictsTheLeastRecentlyUsed() throws {
        let documents = ClientMetadataDocuments(fetcher: fetcher, clock: { [clock] in clock.now }, cacheCapacity: 3)
        let urls = (0..<4).map { "https://client\($0).example/c.json" }
        for url in urls { fetcher.serve(url, json: document(clientID: url, redirect: "https://client.example/cb")) }
        for url in urls.prefix(3) { _ = try documents.client(id: url) }
        _ = try documents.client(id: urls[0])          // urls[1] is now the least recently used
        _ = try documents.client(id: urls[3])          // evicts urls[1]
        #expect(fetcher.fetches == 4)
        _ = try documents.client(id: urls[0])
        _ = try documents.client(id: urls[2])
        #expect(fetcher.fetches == 4)
        _ = try documents.client(id: urls[1])
        #expect(fetcher.fetches == 5)
    }

    /// Failures have their own cache: a flood of unreachable URLs cannot push documents out.
    @Test func failuresDoNotEvictDocuments() throws {
        let documents = ClientMetadataDocuments(fetcher: fetcher, clock: { [clock] in clock.now }, cacheCapacity: 2)
        fetcher.serve(Self.url, json: document())
        _ = try documents.client(id: Self.url)
        for index in 0..<10 { _ = oauthError { _ = try documents.client(id: "https://gone\(index).example/c.json") } }
        let before = fetcher.fetches
        _ = try documents.client(id: Self.url)
        #expect(fetcher.fetches == before)
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
