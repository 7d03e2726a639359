/// Why the user's API gave no answer a tool can read. Messages are safe to show the user and
/// the model: they never carry tokens, header values or response bodies.
public enum APIError: Error, Equatable, CustomStringConvertible {
    /// No answer in time, or no connection.
    case unavailable(String)
    /// An answer we cannot use: a redirect, or one over the size cap.
    case badResponse(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "the API is unavailable: \(reason)"
        case .badResponse(let reason): "the API gave an unusable answer: \(reason)"
        }
    }
}
