import Storage

/// Where tools send their calls: the user's own API (`BACKEND_API_URL`) or, without one, the
/// built-in demo items API answering the same contract in process.
///
/// Synchronous and allowed to block: callers run it on the FastCGI worker thread that serves
/// the request, never on the Swift concurrency pool.
public protocol APITransport: Sendable {
    /// A short name for logs (`api` or `demo`).
    var kind: String { get }

    /// Sends the call as the caller: with their Privy token as the bearer credential.
    func send(_ request: APIRequest, for caller: Caller) throws(APIError) -> APIResponse
}
