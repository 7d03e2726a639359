/// Why the development login refused to start or to issue a token.
public struct DevelopmentLoginError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server's base URL is not loopback-only.
        case notLoopback
        /// The email (or lifetime) given for a token is unusable: answer 400.
        case invalidRequest
        /// Key generation or signing failed inside OpenSSL: answer 500.
        case cryptoFailure
    }

    public let kind: Kind
    /// For logs; never contains key material or the email address.
    public let reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        "development login: \(reason)"
    }
}
