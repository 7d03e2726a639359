/// One problem of a manifest, at its JSON path (`tools[2].call.path`; "" is the whole document).
/// `description` is the line `FCGIApp check` prints.
public struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// A short lower-case sentence without a trailing period.
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every problem found, in document order.
public struct ManifestProblems: Error, Sendable, CustomStringConvertible {
    public let problems: [ManifestProblem]

    public init(_ problems: [ManifestProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
