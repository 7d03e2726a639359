/// The one `WWW-Authenticate: Bearer` builder (RFC 6750 §3), with the `resource_metadata`
/// parameter that lets a client find the authorization server (RFC 9728 §5.1). Every value is a
/// quoted-string with `"` and `\` escaped (RFC 9110 §5.6.4), whatever it holds.
public struct BearerChallengeHeader: Sendable, Equatable {
    public var resourceMetadata: String
    public var error: String?
    public var description: String?
    public var scope: String?

    public init(resourceMetadata: String, error: String? = nil, description: String? = nil, scope: String? = nil) {
        self.resourceMetadata = resourceMetadata
        self.error = error
        self.description = description
        self.scope = scope
    }

    public var value: String {
        var parts = ["resource_metadata=\(Self.quoted(resourceMetadata))"]
        if let error { parts.append("error=\(Self.quoted(error))") }
        if let description { parts.append("error_description=\(Self.quoted(description))") }
        if let scope { parts.append("scope=\(Self.quoted(scope))") }
        return "Bearer " + parts.joined(separator: ", ")
    }

    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { output.append("\\") }
            // A header value is one line: control characters become spaces (RFC 9110 §5.5).
            output.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
        }
        return output + "\""
    }
}
