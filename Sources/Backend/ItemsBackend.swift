import Storage
/// Where the tools' items live: the user's own API (`BACKEND_API_URL`) or the built-in demo.
///
/// Synchronous and allowed to block: callers run it on the FastCGI worker thread that serves the
/// request, never on the Swift concurrency pool.
public protocol ItemsBackend: Sendable {
    /// A short name for logs and widget metadata (`api` or `demo`).
    var kind: String { get }

    func items(for caller: Caller) throws(BackendError) -> [BackendItem]

    /// Applies the action and returns the item as it is afterwards (for `delete`, as it was).
    func perform(_ action: ItemAction, itemID: String, for caller: Caller) throws(BackendError) -> BackendItem
}
