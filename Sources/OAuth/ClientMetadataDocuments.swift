import Crypto
import Foundation
import HTTPClient
import Storage

/// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, MCP 2025-11-25):
/// a client whose id is an https URL publishes its metadata at that URL.
///
/// Fetched with a timeout and size cap through a client that refuses private addresses (the URL
/// comes from strangers), never following redirects, cached per the response's Cache-Control.
public final class ClientMetadataDocuments: @unchecked Sendable {
    private let fetcher: any HTTPFetching
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var cache: [String: (client: OAuthClient, expires: Date)] = [:]

    static let maximumBytes = 64 * 1024
    static let defaultLifetime: TimeInterval = 3600
    static let lifetimeRange: ClosedRange<TimeInterval> = 60...86_400
    static let maximumEntries = 1000

    public init(fetcher: any HTTPFetching, clock: @escaping @Sendable () -> Date = Date.init) {
        self.fetcher = fetcher
        self.clock = clock
    }

    /// Whether this client id is meant as a metadata document URL.
    public static func isDocumentURL(_ clientID: String) -> Bool {
        clientID.hasPrefix("https://")
    }

    public func client(id url: String) throws(OAuthError) -> OAuthClient {
        let now = clock()
        if let cached = lock.withLock({ cache[url] }), cached.expires > now { return cached.client }
        let (client, lifetime) = try fetch(url, now: now)
        lock.withLock {
            if cache.count >= Self.maximumEntries { cache.removeAll() }
            cache[url] = (client, now.addingTimeInterval(lifetime))
        }
        return client
    }

    private func fetch(_ url: String, now: Date) throws(OAuthError) -> (OAuthClient, TimeInterval) {
        guard url.utf8.count <= 2000, RedirectURIPolicy.registrationProblem(url) == nil else {
            throw OAuthError(.invalidClient, "client_id is not a valid metadata document URL")
        }
        let response: HTTPClientResponse
        do {
            response = try fetcher.send(HTTPClientRequest(url: url, headers: [("Accept", "application/json")], timeout: 3,
                                                          connectTimeout: 2, maxResponseBytes: Self.maximumBytes))
        } catch {
            throw OAuthError(.invalidClient, "client metadata document could not be fetched (\(error))")
        }
        guard response.status == 200 else {
            throw OAuthError(.invalidClient, "client metadata document answered HTTP \(response.status)")
        }
        guard let document = try? JSONSerialization.jsonObject(with: Data(response.body)) as? JSONObject else {
            throw OAuthError(.invalidClient, "client metadata document is not a JSON object")
        }
        guard document["client_id"] as? String == url else {
            throw OAuthError(.invalidClient, "client metadata document's client_id does not equal its URL")
        }
        let redirectURIs: [String]
        do {
            redirectURIs = try ClientRegistration.redirectURIs(document["redirect_uris"])
            _ = try ClientRegistration.authMethod(document["token_endpoint_auth_method"])
        } catch {
            throw OAuthError(.invalidClient, "client metadata document: \(error.description)")
        }
        let name = (try? ClientName.parse(document["client_name"])) ?? nil
        let client = OAuthClient(id: url, name: name, redirectURIs: redirectURIs, origin: .metadataDocument, createdAt: now)
        return (client, Self.lifetime(cacheControl: response.header("cache-control")))
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
