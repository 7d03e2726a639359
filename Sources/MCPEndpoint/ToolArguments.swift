import MCP

/// A tool argument that breaks the input schema; the message names the field.
public struct ArgumentError: Error {
    public let field: String
    public let problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var message: String { "Invalid argument \"\(field)\": \(problem)" }
}

/// Checks `tools/call` arguments against what a tool's input schema says, so a bad call gets a
/// tool error naming the field rather than a protocol error or a 5xx.
public struct ToolArguments {
    public let values: [String: Value]

    public init(values: [String: Value]) {
        self.values = values
    }

    /// The schemas set `additionalProperties: false`; say so instead of ignoring a typo.
    public func rejectUnknown(allowed: Set<String>) throws(ArgumentError) {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ArgumentError(field: String(unknown.prefix(64)), problem: "is not a parameter of this tool")
        }
    }

    public func requiredString(_ name: String, maxLength: Int = 512) throws(ArgumentError) -> String {
        guard let value = values[name] else { throw ArgumentError(field: name, problem: "is required") }
        guard case .string(let text) = value else { throw ArgumentError(field: name, problem: "must be a string") }
        guard !text.isEmpty else { throw ArgumentError(field: name, problem: "must not be empty") }
        guard text.count <= maxLength else { throw ArgumentError(field: name, problem: "is longer than \(maxLength) characters") }
        return text
    }

    public func requiredChoice<Choice: RawRepresentable & CaseIterable>(_ name: String, of: Choice.Type) throws(ArgumentError) -> Choice
    where Choice.RawValue == String {
        let text = try requiredString(name, maxLength: 64)
        guard let choice = Choice(rawValue: text) else {
            let options = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw ArgumentError(field: name, problem: "must be one of \(options)")
        }
        return choice
    }
}
