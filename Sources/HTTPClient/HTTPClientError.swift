/// Why a request produced no response. Messages never include request headers.
public enum HTTPClientError: Error, Equatable, CustomStringConvertible {
    /// Malformed URL, or a scheme the client does not allow.
    case invalidURL(String)
    case timedOut
    /// The body exceeded `maxResponseBytes` (announced or actually received).
    case responseTooLarge
    /// DNS, TCP or TLS setup failed.
    case connectionFailed(String)
    /// The SSRF guard refused to connect to this address.
    case refusedAddress(String)
    /// Anything else, including invalid request headers or method.
    case transferFailed(String)

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid URL: \(reason)"
        case .timedOut: "request timed out"
        case .responseTooLarge: "response too large"
        case .connectionFailed(let reason): "connection failed: \(reason)"
        case .refusedAddress(let address): "refused to connect to non-public address \(address)"
        case .transferFailed(let reason): "transfer failed: \(reason)"
        }
    }
}
