/// Why the user's API gave no answer a tool can read. Messages are safe to show the user and
/// the model: they never carry tokens, header values or response bodies.
public enum APIError: Error, Equatable, CustomStringConvertible {
    /// No answer in time, or no connection.
    case unavailable(String)
    /// An answer we cannot use: a redirect, or one over the size cap.
    case badResponse(String)
    /// Not made: the user has used this minute's budget of calls to the API
    /// (`BACKEND_CALLS_PER_USER_PER_MINUTE`); a new one starts in `retryAfter` seconds.
    case overBudget(retryAfter: Int)

    public var description: String {
        switch self {
        case .unavailable(let reason): "the API is unavailable: \(reason)"
        case .badResponse(let reason): "the API gave an unusable answer: \(reason)"
        case .overBudget(let seconds): "too many calls to the API this minute; a new minute starts in \(seconds) s"
        }
    }
}
