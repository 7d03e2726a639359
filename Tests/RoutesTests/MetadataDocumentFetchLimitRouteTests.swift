import AppComposition
import Foundation
import HTTPClient
import HTTPMessages
import OAuth
import Routes
import Testing

/// Holds every fetch until released.
final class HeldFetcher: HTTPFetching, @unchecked Sendable {
    private let released = DispatchSemaphore(value: 0)
    private let entered = DispatchSemaphore(value: 0)

    func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        entered.signal()
        released.wait()
        throw .timedOut
    }

    func awaitFetch() -> Bool { entered.wait(timeout: .now() + 10) == .success }
    func release() { released.signal() }
}

/// While a fetch for a host is running, every endpoint that looks a client up answers another
/// client_id URL on that host at once with 503 `temporarily_unavailable` (RFC 6749 §4.1.2.1 and
/// §5.2's error vocabulary), never a redirect, a wait or a 500.
@Suite struct MetadataDocumentFetchLimitRouteTests {
    @Test func endpointsAnswer503WhileTheHostIsBeingFetched() throws {
        let fetcher = HeldFetcher()
        let services = TestServices.make(adjust: { $0.clientMetadataDocuments = ClientMetadataDocuments(fetcher: fetcher) })
        let application = Application(services: services)
        let query = Self.query
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = application.respond(to: Request(method: "GET", path: "/authorize", queryString: query("https://busy.example/a.json")))
            done.signal()
        }
        try #require(fetcher.awaitFetch())
        defer {
            fetcher.release()
            _ = done.wait(timeout: .now() + 10)
        }

        let other = "https://busy.example/b.json"
        let page = application.respond(to: Request(method: "GET", path: "/authorize", queryString: query(other)))
        #expect(page.status == 503 && page.headers["Location"] == nil)

        let details = application.respond(to: Request(method: "GET", path: "/authorize", queryString: query(other),
                                                      headers: HTTPHeaders([("Accept", "application/json")])))
        #expect(details.status == 503 && Self.error(details) == "temporarily_unavailable")

        let completion = application.respond(to: Request(
            method: "POST", target: "/authorize/complete", headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]),
            body: Array((query(other) + "&privy_token=x").utf8)))
        #expect(completion.status == 503 && Self.error(completion) == "temporarily_unavailable")

        let token = application.respond(to: Request(
            method: "POST", target: "/token", headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]),
            body: Array(FormParameters.encode([("grant_type", "authorization_code"), ("client_id", other), ("code", "c"),
                                               ("code_verifier", String(repeating: "v", count: 43))]).utf8)))
        #expect(token.status == 503 && Self.error(token) == "temporarily_unavailable")
    }

    @Sendable static func query(_ clientID: String) -> String {
        FormParameters.encode([("response_type", "code"), ("client_id", clientID), ("redirect_uri", "https://busy.example/cb"),
                               ("state", "s"), ("code_challenge", String(repeating: "a", count: 43)), ("code_challenge_method", "S256")])
    }

    static func error(_ response: Response) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["error"] as? String
    }
}
