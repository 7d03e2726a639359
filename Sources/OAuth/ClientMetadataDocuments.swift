import Crypto
import Foundation
import HTTPClient
import ServerLog
import Storage
import WebRules

/// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP 2025-11-25):
/// a client whose id is an https URL publishes its metadata at that URL.
///
/// The URL comes from strangers, so the fetch is fenced in (draft §6.5, SSRF): a client that
/// refuses non-public addresses, never follows redirects, has a timeout and a size cap; at most
/// `maximumFetchesInFlight` fetches at once and `maximumFetchesPerHost` per host, over which the
/// request is answered 503 at once instead of waiting; documents cached per their Cache-Control
/// and failures for `failureLifetime`, both in bounded least-recently-used caches, so a burst of
/// requests naming one URL costs one fetch. Why a fetch failed goes to the server log only.
public final class ClientMetadataDocuments: @unchecked Sendable {
    private let fetcher: any HTTPFetching
    private let clock: @Sendable () -> Date
    private let limiter: FetchLimiter
    private let lock = NSLock()
    private var documents: LeastRecentlyUsed<String, (client: OAuthClient, expires: Date)>
    private var failures: LeastRecentlyUsed<String, (error: OAuthError, expires: Date)>

    static let maximumBytes = 64 * 1024
    static let defaultLifetime: TimeInterval = 3600
    static let lifetimeRange: ClosedRange<TimeInterval> = 60...86_400
    /// Long enough that a burst naming an unreachable URL costs one fetch, short enough that a
    /// client that just fixed its document waits a minute at most.
    static let failureLifetime: TimeInterval = 60
    public static let defaultCacheCapacity = 1000
    /// With the default 8 worker threads, hanging fetches can hold at most half of them.
    public static let maximumFetchesInFlight = 4
    public static let maximumFetchesPerHost = 1

    /// Both caches hold at most `cacheCapacity` entries each, so failures never push out documents.
    public init(fetcher: any HTTPFetching, clock: @escaping @Sendable () -> Date = Date.init,
                cacheCapacity: Int = defaultCacheCapacity) {
        self.fetcher = fetcher
        self.clock = clock
        self.limiter = FetchLimiter(maximumInFlight: Self.maximumFetchesInFlight, maximumPerHost: Self.maximumFetchesPerHost)
        self.documents = LeastRecentlyUsed(capacity: cacheCapacity)
        self.failures = LeastRecentlyUsed(capacity: cacheCapacity)
    }

    /// Whether this client id is meant as a metadata document URL.
    public static func isDocumentURL(_ clientID: String) -> Bool {
        clientID.hasPrefix("https://")
    }

    /// The client the document at `url` describes; `invalid_client` when it cannot be fetched
    /// or does not hold up, `temporarily_unavailable` (503) when too many fetches are running.
    public func client(id url: String) throws(OAuthError) -> OAuthClient {
        let now = clock()
        guard url.utf8.count <= 2000, RedirectURIPolicy.registrationProblem(url) == nil, let parsed = AbsoluteURL(url) else {
            throw OAuthError(.invalidClient, "client_id is not a valid metadata document URL")
        }
        if let cached = try cachedClient(url, now: now) { return cached }
        let host = parsed.host.hasSuffix(".") ? String(parsed.host.dropLast()) : parsed.host
        let outcome = limiter.run(host: host) { () -> Result<(OAuthClient, TimeInterval), OAuthError> in
            do throws(OAuthError) { return .success(try fetch(url, now: now)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let (client, lifetime)):
            lock.withLock {
                failures.removeValue(for: url)
                documents.set((client, now.addingTimeInterval(lifetime)), for: url)
            }
            return client
        case .failure(let error):
            lock.withLock { failures.set((error, now.addingTimeInterval(Self.failureLifetime)), for: url) }
            throw error
        case nil:
            ServerLog.write(.warning, "client metadata document fetch limit reached", [
                "host": .string(parsed.displayHost), "in_flight_limit": .int(Self.maximumFetchesInFlight),
                "per_host_limit": .int(Self.maximumFetchesPerHost),
            ])
            // RFC 6749 §4.1.2.1: temporarily_unavailable, the request may be retried.
            throw OAuthError.unavailable("too many client metadata documents are being fetched, try again")
        }
    }

    /// A live document, or the live refusal of the last fetch (replayed without fetching).
    private func cachedClient(_ url: String, now: Date) throws(OAuthError) -> OAuthClient? {
        let (document, failure) = lock.withLock { (documents.value(for: url), failures.value(for: url)) }
        if let document, document.expires > now { return document.client }
        if let failure, failure.expires > now { throw failure.error }
        return nil
    }

    /// The one public description of every transport failure. Anything about resolution,
    /// connection, TLS, addresses or timing would tell an anonymous caller how names resolve and
    /// what answers inside our network. What is said about the document itself (its HTTP status,
    /// size, JSON, client_id, redirect URIs) is said only after the guard let the connection reach
    /// a globally reachable address and TLS verified a certificate publicly trusted for that name:
    /// anyone on the Internet fetching that URL sees the same, so it reveals nothing about us and
    /// tells the client's developer what to fix.
    static let fetchFailedDescription = "client metadata document could not be fetched"

    private func fetch(_ url: String, now: Date) throws(OAuthError) -> (OAuthClient, TimeInterval) {
        let response: HTTPClientResponse
        do {
            response = try fetcher.send(HTTPClientRequest(url: url, headers: [("Accept", "application/json")], timeout: 3,
                                                          connectTimeout: 2, maxResponseBytes: Self.maximumBytes))
        } catch .responseTooLarge {
            throw refused(url, "client metadata document is larger than \(Self.maximumBytes / 1024) KiB")
        } catch {
            // The precise reason (curl's text, the refused address) is for the operator only.
            throw refused(url, Self.fetchFailedDescription, reason: error.description)
        }
        guard response.status == 200 else {
            throw refused(url, "client metadata document answered HTTP \(response.status)")
        }
        guard let document = try? JSONSerialization.jsonObject(with: Data(response.body)) as? JSONObject else {
            throw refused(url, "client metadata document is not a JSON object")
        }
        guard document["client_id"] as? String == url else {
            throw refused(url, "client metadata document's client_id does not equal its URL")
        }
        let redirectURIs: [String]
        do {
            redirectURIs = try ClientRegistration.redirectURIs(document["redirect_uris"])
            _ = try ClientRegistration.authMethod(document["token_endpoint_auth_method"])
        } catch {
            throw refused(url, "client metadata document: \(error.description)")
        }
        let name = (try? ClientName.parse(document["client_name"])) ?? nil
        let client = OAuthClient(id: url, name: name, redirectURIs: redirectURIs, origin: .metadataDocument, createdAt: now)
        return (client, Self.lifetime(cacheControl: response.header("cache-control")))
    }

    /// Logs the refusal (with the precise reason when there is one) and makes the public error.
    /// The host is logged, not the URL: a query string has no place in the log.
    private func refused(_ url: String, _ description: String, reason: String? = nil) -> OAuthError {
        ServerLog.write(.warning, "client metadata document refused", [
            "host": .string(AbsoluteURL(url)?.displayHost ?? "?"), "reason": .string(reason ?? description),
        ])
        return OAuthError(.invalidClient, description)
    }

    public static func lifetimeForTesting(_ cacheControl: String?) -> TimeInterval { lifetime(cacheControl: cacheControl) }

    /// `max-age` within sane bounds; `no-store`/`no-cache` still get the minimum, so a burst of
    /// requests cannot turn us into a fetch amplifier.
    static func lifetime(cacheControl: String?) -> TimeInterval {
        guard let header = cacheControl?.lowercased() else { return defaultLifetime }
        if header.contains("no-store") || header.contains("no-cache") { return lifetimeRange.lowerBound }
        for directive in header.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            // TimeInterval("nan") parses, and NaN survives min/max: an entry that never expires
            // would never be cached at all; only finite numbers count.
            if parts.count == 2, parts[0] == "max-age", let seconds = TimeInterval(parts[1]), seconds.isFinite {
                return min(max(seconds, lifetimeRange.lowerBound), lifetimeRange.upperBound)
            }
        }
        return defaultLifetime
    }
}
