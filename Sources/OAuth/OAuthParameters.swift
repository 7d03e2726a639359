/// Request parameters of an OAuth endpoint, each present at most once (RFC 6749 §3.1: "Request
/// and response parameters MUST NOT be included more than once").
public struct OAuthParameters: Sendable, Equatable {
    private let values: [String: String]

    /// Fails with `invalid_request` naming the first repeated parameter.
    public init(pairs: [(name: String, value: String)]) throws(OAuthError) {
        var values: [String: String] = [:]
        for pair in pairs {
            guard values.updateValue(pair.value, forKey: pair.name) == nil else {
                throw .invalidRequest("parameter '\(pair.name.prefix(64))' is repeated")
            }
        }
        self.values = values
    }

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The value, treating an empty value as absent (RFC 6749 §3.1).
    public subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func required(_ name: String) throws(OAuthError) -> String {
        guard let value = self[name] else { throw .invalidRequest("missing parameter '\(name)'") }
        return value
    }

    public var all: [String: String] { values }
}
