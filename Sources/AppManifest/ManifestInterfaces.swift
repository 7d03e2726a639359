// PLACEHOLDER INTERFACES: replaced file by file by the real implementations (see the brief).
import MCP

/// One problem of a manifest, at its JSON path (`tools[2].call.path`).
public struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
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

/// What checking a manifest needs from outside it.
public struct ManifestContext: Sendable {
    /// For `${NAME}` in headers.
    public var environment: [String: String]
    /// `WIDGETS_DIR`: widget files must exist here.
    public var widgetsDirectory: String
    /// `BACKEND_TIMEOUT_SECONDS`: the default and the upper bound of `timeoutSeconds`.
    public var maxTimeoutSeconds: Double
    /// Names of code tools, which manifest tools may not reuse.
    public var codeToolNames: Set<String>
    public init(environment: [String: String], widgetsDirectory: String, maxTimeoutSeconds: Double, codeToolNames: Set<String> = []) {
        self.environment = environment
        self.widgetsDirectory = widgetsDirectory
        self.maxTimeoutSeconds = maxTimeoutSeconds
        self.codeToolNames = codeToolNames
    }
}

public enum ManifestLoader {
    /// Reads and checks the file; every problem, or the manifest.
    public static func load(path: String, context: ManifestContext) -> Result<AppManifest, ManifestProblems> { fatalError() }
    public static func parse(_ bytes: [UInt8], context: ManifestContext) -> Result<AppManifest, ManifestProblems> { fatalError() }
}

/// A tool argument that breaks the input schema; the message names the field.
public struct ArgumentViolation: Error, Sendable, Equatable {
    public let field: String
    public let problem: String
    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }
    public var message: String { "Invalid argument \"\(field)\": \(problem)" }
}

public struct ArgumentSchema: Sendable {
    public func check(_ arguments: [String: Value]) throws(ArgumentViolation) { fatalError() }
}

public struct PathTemplate: Sendable {
    public var argumentNames: [String] { fatalError() }
    /// `/items/{id}` with each argument percent-encoded as one segment.
    public func render(_ arguments: [String: Value]) throws(ArgumentViolation) -> String { fatalError() }
}

public struct BodyTemplate: Sendable {
    public func render(_ arguments: [String: Value]) -> Value { fatalError() }
}

public struct TextTemplate: Sendable {
    public func render(arguments: [String: Value], answer: Value?) -> String { fatalError() }
}

public struct JSONPointer: Sendable {
    public func resolve(in value: Value) -> Value? { fatalError() }
}

/// Strict JSON (RFC 8259) to and from the SDK's `Value`, without its decoder's guessing
/// (strings stay strings) and fast enough for every API answer.
public enum JSONText {
    public static func parse(_ bytes: [UInt8]) throws(JSONTextError) -> Value { fatalError() }
    /// Compact, keys in code-point order.
    public static func encode(_ value: Value) -> [UInt8] { fatalError() }
}

public struct JSONTextError: Error, Sendable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "\(reason) at byte \(offset)" }
}
