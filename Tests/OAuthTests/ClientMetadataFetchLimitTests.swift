import Foundation
import HTTPClient
import OAuth
import Testing

/// Holds every fetch until released, so tests can fill the limits with fetches in flight.
final class BlockingFetcher: HTTPFetching, @unchecked Sendable {
    private let lock = NSLock()
    private let released = DispatchSemaphore(value: 0)
    private let entered = DispatchSemaphore(value: 0)
    private(set) var fetched: [String] = []

    func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        lock.withLock { fetched.append(request.url) }
        entered.signal()
        released.wait()
        throw .timedOut
    }

    /// Waits until `count` more fetches are in flight.
    func awaitFetches(_ count: Int) -> Bool {
        (0..<count).allSatisfy { _ in entered.wait(timeout: .now() + 10) == .success }
    }

    func release(_ count: Int) {
        for _ in 0..<count { released.signal() }
    }
}

/// At most four fetches at once, one per host; over either limit the request is answered at
/// once with 503 temporarily_unavailable (RFC 6749 §4.1.2.1) instead of waiting for a worker.
@Suite struct ClientMetadataFetchLimitTests {
    let fetcher = BlockingFetcher()

    /// Starts a lookup on its own thread; the group is left when it ends.
    func lookUpInBackground(_ documents: ClientMetadataDocuments, _ url: String, _ group: DispatchGroup) {
        group.enter()
        Thread.detachNewThread {
            _ = try? documents.client(id: url)
            group.leave()
        }
    }

    @Test func fetchesOverTheProcessLimitAreAnsweredAtOnce() throws {
        let documents = ClientMetadataDocuments(fetcher: fetcher)
        let group = DispatchGroup()
        let limit = ClientMetadataDocuments.maximumFetchesInFlight
        for host in 0..<limit { lookUpInBackground(documents, "https://host\(host).example/c.json", group) }
        try #require(fetcher.awaitFetches(limit))

        let started = Date()
        let refused = caughtOAuthError { _ = try documents.client(id: "https://one-more.example/c.json") }
        #expect(refused?.code == .temporarilyUnavailable && refused?.status == 503)
        #expect(Date().timeIntervalSince(started) < 1, "the request waited for a fetch slot")
        #expect(fetcher.fetched.count == limit)

        fetcher.release(limit)
        #expect(group.wait(timeout: .now() + 10) == .success)
        // The slots are free again.
        fetcher.release(1)
        #expect(oauthError { _ = try documents.client(id: "https://one-more.example/c.json") } == .invalidClient)
        #expect(fetcher.fetched.count == limit + 1)
    }

    @Test func oneFetchAtOncePerHost() throws {
        let documents = ClientMetadataDocuments(fetcher: fetcher)
        let group = DispatchGroup()
        lookUpInBackground(documents, "https://slow.example/a.json", group)
        try #require(fetcher.awaitFetches(1))

        // Same host, another document, another spelling of the host: refused at once.
        for url in ["https://slow.example/b.json", "https://SLOW.example./c.json", "https://slow.example/a.json"] {
            #expect(oauthError { _ = try documents.client(id: url) } == .temporarilyUnavailable, "\(url)")
        }
        // Another host still has room.
        lookUpInBackground(documents, "https://other.example/a.json", group)
        try #require(fetcher.awaitFetches(1))
        #expect(fetcher.fetched == ["https://slow.example/a.json", "https://other.example/a.json"])

        fetcher.release(2)
        #expect(group.wait(timeout: .now() + 10) == .success)
    }

    /// A refusal for being over the limit says nothing about the URL, so it is not cached.
    @Test func overTheLimitIsNotRememberedAsAFailure() throws {
        let documents = ClientMetadataDocuments(fetcher: fetcher)
        let group = DispatchGroup()
        lookUpInBackground(documents, "https://busy.example/a.json", group)
        try #require(fetcher.awaitFetches(1))
        #expect(oauthError { _ = try documents.client(id: "https://busy.example/b.json") } == .temporarilyUnavailable)
        fetcher.release(1)
        #expect(group.wait(timeout: .now() + 10) == .success)

        fetcher.release(1)
        #expect(oauthError { _ = try documents.client(id: "https://busy.example/b.json") } == .invalidClient)
        #expect(fetcher.fetched == ["https://busy.example/a.json", "https://busy.example/b.json"])
    }
}
