import Foundation
import HTTPClient
import Privy
import Testing

/// PrivyUserLookup over a fake fetcher: the request it makes, and that every failure
/// (HTTP error, timeout, garbage) only leaves the email out.
@Suite struct UserLookupFakeFetcherTests {
    private static let appID = "app-123"
    private static let userID = "did:privy:cm0user"

    /// Answers every request with one canned outcome and remembers what it was asked.
    private final class FakeFetcher: HTTPFetching, @unchecked Sendable {
        private let lock = NSLock()
        private let outcome: Result<HTTPClientResponse, HTTPClientError>
        private var seen: [HTTPClientRequest] = []

        init(_ outcome: Result<HTTPClientResponse, HTTPClientError>) { self.outcome = outcome }

        static func answering(_ status: Int, _ body: String) -> FakeFetcher {
            FakeFetcher(.success(HTTPClientResponse(status: status, headers: ["content-type": "application/json"],
                                                    body: Array(body.utf8))))
        }

        var requests: [HTTPClientRequest] { lock.withLock { seen } }

        func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
            lock.withLock { seen.append(request) }
            return try outcome.get()
        }
    }

    private func lookup(_ fetcher: FakeFetcher, timeout: Double = 2) -> PrivyUserLookup {
        PrivyUserLookup(appID: Self.appID, appSecret: "s3cr3t", fetcher: fetcher, timeout: timeout)
    }

    private static let record = #"""
        {"id": "did:privy:cm0user", "created_at": 1700000000, "is_guest": false, "mfa_methods": [],
         "linked_accounts": [{"type": "wallet", "address": "0xabc", "chain_type": "ethereum"},
                             {"type": "email", "address": "alice@example.com", "verified_at": 1700000000}]}
        """#

    @Test func emailOnSuccess() throws {
        let fetcher = FakeFetcher.answering(200, Self.record)
        #expect(lookup(fetcher).email(userID: Self.userID) == "alice@example.com")
        let request = try #require(fetcher.requests.first)
        #expect(fetcher.requests.count == 1)
        #expect(request.method == "GET")
        #expect(request.url == "https://api.privy.io/v1/users/did%3Aprivy%3Acm0user")
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        // RFC 7617 §2: Basic base64(app id ":" app secret), and Privy's app id header.
        #expect(headers["authorization"] == "Basic " + Data("app-123:s3cr3t".utf8).base64EncodedString())
        #expect(headers["privy-app-id"] == Self.appID)
    }

    /// The lookup is bounded: the configured total time, a connect limit no longer than it, a size cap.
    @Test func requestIsBounded() throws {
        let fetcher = FakeFetcher.answering(200, Self.record)
        _ = lookup(fetcher, timeout: 1.5).email(userID: Self.userID)
        let request = try #require(fetcher.requests.first)
        #expect(request.timeout == 1.5)
        #expect(request.connectTimeout <= 1.5)
        #expect(request.maxResponseBytes <= 256 * 1024)
    }

    @Test(arguments: [500, 502, 401, 404, 302])
    func httpErrorsGiveNil(_ status: Int) {
        #expect(lookup(.answering(status, Self.record)).email(userID: Self.userID) == nil)
    }

    @Test(arguments: [HTTPClientError.timedOut, .connectionFailed("refused"), .responseTooLarge, .transferFailed("reset")])
    func transportFailuresGiveNil(_ error: HTTPClientError) {
        #expect(lookup(FakeFetcher(.failure(error))).email(userID: Self.userID) == nil)
    }

    @Test(arguments: ["", "not json", "[1, 2]", "null", #"{"linked_accounts": "email"}"#,
                      #"{"linked_accounts": [{"type": "email", "address": 7}]}"#,
                      #"{"linked_accounts": [{"type": "email", "address": "no at sign"}]}"#,
                      #"{"linked_accounts": [{"type": "email", "address": "a b@example.com"}]}"#])
    func garbageGivesNil(_ body: String) {
        #expect(lookup(.answering(200, body)).email(userID: Self.userID) == nil)
    }
}
