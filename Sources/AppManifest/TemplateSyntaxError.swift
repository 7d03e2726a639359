/// Why a template or pointer written in the manifest cannot be read; the loader reports the
/// message at the template's JSON path.
public struct TemplateSyntaxError: Error, Sendable, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
