/// A configuration problem, always naming the variable so the one-line start-up error is actionable.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let variable: String
    public let reason: String

    public init(_ variable: String, _ reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "\(variable): \(reason)" }
}
