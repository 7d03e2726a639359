/// Why the items backend gave no usable answer. Messages are safe to show the user and the
/// model: they never carry tokens or response bodies.
public enum BackendError: Error, Equatable, CustomStringConvertible {
    /// The API answered 401/403: the user's Privy token is no longer accepted, so the user has
    /// to sign in again (the caller revokes the grant and asks ChatGPT to re-link).
    case unauthorized(status: Int)
    /// The API (or the demo store) has no item with that id.
    case notFound(itemID: String)
    /// No answer in time, or no connection.
    case unavailable(String)
    /// An answer we cannot use: a 5xx, a redirect, or a body that breaks the contract.
    case badResponse(String)

    public var description: String {
        switch self {
        case .unauthorized(let status): "the items API rejected the user's credentials (HTTP \(status))"
        case .notFound(let itemID): "no such item: \(itemID.prefix(200))"
        case .unavailable(let reason): "the items API is unavailable: \(reason)"
        case .badResponse(let reason): "the items API gave an unusable answer: \(reason)"
        }
    }
}
