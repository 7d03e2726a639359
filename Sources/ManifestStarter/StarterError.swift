/// Why no starter manifest could be written: one line per problem, each saying what to change.
public struct StarterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One sentence each, in the order they were found.
    public let problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    init(_ problem: String) {
        self.problems = [problem]
    }

    public var description: String { problems.joined(separator: "\n") }
}
