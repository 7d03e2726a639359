/// A starter manifest and what could not be carried over into it.
public struct StarterResult: Sendable, Equatable {
    /// The manifest's JSON text: pretty, keys in docs/MANIFEST.md's order, ending in "\n".
    public let text: String
    /// One line each for what was skipped or simplified (a header parameter, a `oneOf`, a `$ref`
    /// cycle), with where it is in the OpenAPI document, so that the user can finish the manifest
    /// by hand. Written to standard error by the command, never into the manifest.
    public let warnings: [String]

    public init(text: String, warnings: [String]) {
        self.text = text
        self.warnings = warnings
    }
}
