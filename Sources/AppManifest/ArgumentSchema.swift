import MCP

/// A tool's `inputSchema`, compiled once at load, checking every call's arguments (JSON Schema
/// 2020-12, the keywords docs/MANIFEST.md lists). The first violation is thrown, found in a fixed
/// order: required names (sorted), then properties (sorted), then unknown members.
public struct ArgumentSchema: Sendable {
    let root: SchemaNode

    init(root: SchemaNode) {
        self.root = root
    }

    /// Compiles a schema; the problems' paths are relative to it (`properties.q.oneOf`).
    public init(compiling schema: Value) throws(ManifestProblems) {
        var compiler = SchemaCompiler()
        let root = compiler.compile(schema, path: "")
        guard compiler.problems.isEmpty else { throw ManifestProblems(compiler.problems) }
        self.root = root
    }

    /// The top-level property names, sorted by UTF-8 bytes.
    public var propertyNames: [String] { root.propertyOrder }

    /// The top-level required names, sorted by UTF-8 bytes.
    public var requiredNames: [String] { root.required }

    /// The `type` of a top-level property; nil when the property or its `type` is not declared.
    func propertyTypes(_ name: String) -> [JSONTypeSet.Name]? {
        root.properties[name]?.types?.names
    }

    public func check(_ arguments: [String: Value]) throws(ArgumentViolation) {
        do throws(PendingViolation) {
            try SchemaCheck.checkObject(arguments, against: root, isTopLevel: true)
        } catch {
            throw error.violation
        }
    }
}
