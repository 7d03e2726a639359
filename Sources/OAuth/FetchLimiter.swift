import Foundation

/// Caps how many fetches of stranger-supplied URLs run at once, in all and per host, so URLs
/// that hang until their timeout cannot hold every worker thread. Never waits: a fetch over
/// either limit is refused at once and its request answered with an error the client may retry.
final class FetchLimiter: @unchecked Sendable {
    let maximumInFlight: Int
    let maximumPerHost: Int
    private let lock = NSLock()
    private var inFlight = 0
    private var inFlightByHost: [String: Int] = [:]

    init(maximumInFlight: Int, maximumPerHost: Int) {
        self.maximumInFlight = max(1, maximumInFlight)
        self.maximumPerHost = max(1, maximumPerHost)
    }

    /// Runs `fetch` when both limits allow one more, else returns nil without running it.
    func run<Outcome>(host: String, _ fetch: () -> Outcome) -> Outcome? {
        let admitted = lock.withLock { () -> Bool in
            guard inFlight < maximumInFlight, inFlightByHost[host, default: 0] < maximumPerHost else { return false }
            inFlight += 1
            inFlightByHost[host, default: 0] += 1
            return true
        }
        guard admitted else { return nil }
        defer {
            lock.withLock {
                inFlight -= 1
                let remaining = inFlightByHost[host, default: 1] - 1
                inFlightByHost[host] = remaining > 0 ? remaining : nil
            }
        }
        return fetch()
    }
}
