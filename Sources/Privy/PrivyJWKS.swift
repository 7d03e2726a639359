import Crypto
import Foundation
import HTTPClient
import WebRules

/// Privy's published verification keys (a JWKS, RFC 7517 §5), fetched over HTTPS and
/// cached. Policy, following Privy's own SDKs: keep a key set for `cacheLifetime`; on a kid
/// we do not know (key rotation) refetch at most once per `unknownKeyCooldown`, so tokens
/// with invented kids cannot make us hammer Privy; if Privy cannot be reached, keep serving
/// the last good set for up to 24 cache lifetimes (stale-while-error). Without any usable
/// set the answer is `.keysUnavailable`: callers answer 503 and never accept the token.
///
/// Thread safety: `stateLock` guards the cache and is never held across the network;
/// `fetchLock` lets only one thread fetch at a time, and threads that waited for it use
/// that fetch's outcome instead of fetching again.
public final class PrivyJWKS: PrivyKeySource, @unchecked Sendable {
    // @unchecked: `state` is only read or written with `stateLock` held; everything else is
    // immutable after init.

    /// Privy's key set for an app, at the auth.privy.io address older SDKs use. Current SDKs
    /// read https://api.privy.io/v1/apps/<app-id>/jwks.json instead; pass that as `url` to
    /// follow them.
    public static func defaultURL(appID: String) -> String {
        "https://auth.privy.io/api/v1/apps/\(PercentEncoding.pathSegment(appID))/jwks.json"
    }

    /// A key set is small (a few hundred bytes); anything bigger than this is not one.
    static let maximumResponseBytes = 256 * 1024
    /// After a failed fetch, wait this long before trying the network again, so an outage
    /// at Privy does not turn every request into a slow, doomed fetch.
    static let retryAfterFailure: TimeInterval = 5
    /// How many cache lifetimes a set stays usable while Privy cannot be reached.
    static let staleLifetimes: Double = 24

    private let url: String
    private let fetcher: any HTTPFetching
    private let cacheLifetime: TimeInterval
    private let unknownKeyCooldown: TimeInterval
    private let timeout: Double
    private let clock: @Sendable () -> Date

    private let stateLock = NSLock()
    private let fetchLock = NSLock()
    private var state = State()

    private struct State {
        var keys: [String: P256PublicKey] = [:]
        /// When the current `keys` were fetched; nil until the first successful fetch.
        var fetchedAt: Date?
        var lastFailure: (at: Date, reason: String)?
        var lastUnknownKeyRefetch: Date?
        /// Counts finished fetches, so a thread that waited for `fetchLock` can tell that
        /// someone fetched meanwhile.
        var completedFetches = 0
    }

    private enum Lookup {
        case found(P256PublicKey)
        case unknown
        case unavailable(String)
    }

    public init(
        url: String,
        fetcher: any HTTPFetching,
        cacheLifetime: TimeInterval = 3600,
        unknownKeyCooldown: TimeInterval = 600,
        timeout: Double = 3,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.url = url
        self.fetcher = fetcher
        self.cacheLifetime = Self.nonNegative(cacheLifetime)
        self.unknownKeyCooldown = Self.nonNegative(unknownKeyCooldown)
        self.timeout = timeout
        self.clock = clock
    }

    public func key(for keyID: String?) throws(PrivyTokenError) -> P256PublicKey {
        // Privy always names the key; without a kid there is nothing to look up.
        guard let keyID else { throw .unknownKey(nil) }
        let (cached, fetchesSeen) = stateLock.withLock { () -> (P256PublicKey?, Int) in
            (isFresh(at: clock()) ? state.keys[keyID] : nil, state.completedFetches)
        }
        if let cached { return cached }
        return try slowLookup(keyID, fetchesSeen: fetchesSeen)
    }

    /// Cache expired or kid unknown: decide under `fetchLock` whether to fetch.
    private func slowLookup(_ keyID: String, fetchesSeen: Int) throws(PrivyTokenError) -> P256PublicKey {
        if !fetchLock.try() {
            // Someone is fetching. A key we already hold (even if past its lifetime) is good
            // enough for now; waiting would tie this worker to Privy's response time.
            let held = stateLock.withLock { isUsable(at: clock()) ? state.keys[keyID] : nil }
            if let held { return held }
            fetchLock.lock()
        }
        defer { fetchLock.unlock() }

        let decision = stateLock.withLock { () -> Lookup? in
            let now = clock()
            if state.completedFetches != fetchesSeen {
                return resolve(keyID, at: now)  // a fetch finished meanwhile: its outcome stands
            }
            if isFresh(at: now) {
                if let key = state.keys[keyID] { return .found(key) }
                // A fresh set without this kid: maybe Privy rotated keys, maybe the kid is
                // invented. Refetch once per cooldown only.
                if let last = state.lastUnknownKeyRefetch, now.timeIntervalSince(last) < unknownKeyCooldown {
                    return .unknown
                }
                state.lastUnknownKeyRefetch = now
                return nil
            }
            if let failure = state.lastFailure, now.timeIntervalSince(failure.at) < Self.retryAfterFailure {
                return resolve(keyID, at: now)
            }
            return nil
        }
        let lookup = decision ?? fetchAndStore(keyID)
        switch lookup {
        case .found(let key): return key
        case .unknown: throw .unknownKey(keyID)
        case .unavailable(let reason): throw .keysUnavailable(reason)
        }
    }

    /// Fetches with only `fetchLock` held, then records the outcome.
    private func fetchAndStore(_ keyID: String) -> Lookup {
        let result = fetchKeySet()
        return stateLock.withLock {
            let now = clock()
            state.completedFetches += 1
            switch result {
            case .success(let keys):
                state.keys = keys
                state.fetchedAt = now
                state.lastFailure = nil
            case .failure(let error):
                // Keep the previous keys: resolve() serves them while they are usable.
                state.lastFailure = (now, error.reason)
            }
            return resolve(keyID, at: now)
        }
    }

    private func fetchKeySet() -> Result<[String: P256PublicKey], JWKSError> {
        let request = HTTPClientRequest(
            method: "GET",
            url: url,
            headers: [(name: "Accept", value: "application/json")],
            timeout: timeout,
            connectTimeout: min(timeout, 2),
            maxResponseBytes: Self.maximumResponseBytes
        )
        let response: HTTPClientResponse
        do {
            response = try fetcher.send(request)
        } catch {
            return .failure(JWKSError("fetching the key set failed: \(error)"))
        }
        guard response.status == 200 else {
            return .failure(JWKSError("key set request answered HTTP \(response.status)"))
        }
        do {
            return .success(try JWKSDocument.keys(from: response.body))
        } catch {
            return .failure(error)
        }
    }

    // MARK: State queries (call with stateLock held)

    private func isFresh(at now: Date) -> Bool {
        guard let fetchedAt = state.fetchedAt else { return false }
        return now.timeIntervalSince(fetchedAt) < cacheLifetime
    }

    private func isUsable(at now: Date) -> Bool {
        guard let fetchedAt = state.fetchedAt else { return false }
        return now.timeIntervalSince(fetchedAt) <= cacheLifetime * Self.staleLifetimes
    }

    private func resolve(_ keyID: String, at now: Date) -> Lookup {
        guard isUsable(at: now) else {
            return .unavailable(state.lastFailure?.reason ?? "no key set fetched")
        }
        return state.keys[keyID].map(Lookup.found) ?? .unknown
    }

    private static func nonNegative(_ interval: TimeInterval) -> TimeInterval {
        interval.isNaN ? 0 : max(0, interval)
    }
}
