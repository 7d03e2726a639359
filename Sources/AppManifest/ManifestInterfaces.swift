// PLACEHOLDER INTERFACES: replaced file by file by the real implementations (see the brief).
import MCP

public enum ManifestLoader {
    /// Reads and checks the file; every problem, or the manifest.
    public static func load(path: String, context: ManifestContext) -> Result<AppManifest, ManifestProblems> { fatalError() }
    public static func parse(_ bytes: [UInt8], context: ManifestContext) -> Result<AppManifest, ManifestProblems> { fatalError() }
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

