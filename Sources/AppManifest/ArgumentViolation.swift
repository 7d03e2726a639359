/// A tool argument that breaks the input schema; the message names the field, so the model can
/// correct its call.
public struct ArgumentViolation: Error, Sendable, Equatable {
    /// The dotted path of the offending value (`limit`, `filter.tags[2]`).
    public let field: String
    /// A short lower-case sentence (`must be at most 50`).
    public let problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var message: String { "Invalid argument \"\(field)\": \(problem)" }
}
