import Foundation
import MCP

/// One compiled JSON Schema (2020-12) object: only the keywords the argument check understands,
/// in a form that checks a value without parsing or allocating.
struct SchemaNode: Sendable {
    var types: JSONTypeSet?
    var properties: [String: SchemaNode] = [:]
    /// Sorted by UTF-8 bytes: the order properties are checked in.
    var propertyOrder: [String] = []
    /// Sorted by UTF-8 bytes, without repeats.
    var required: [String] = []
    var additionalProperties: AdditionalProperties = .allowed
    var allowedValues: [Value]?
    var constant: Value?
    var minLength: Int?
    var maxLength: Int?
    var pattern: CompiledPattern?
    var minimum: NumericBound?
    var maximum: NumericBound?
    var exclusiveMinimum: NumericBound?
    var exclusiveMaximum: NumericBound?
    var items: IndirectSchema?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
}

/// JSON Schema 2020-12 core §10.3.2.3: what members not named in `properties` may be.
enum AdditionalProperties: Sendable {
    case allowed
    case forbidden
    case schema(IndirectSchema)
}

/// A schema held by reference, so a schema can contain schemas.
final class IndirectSchema: Sendable {
    let node: SchemaNode

    init(_ node: SchemaNode) {
        self.node = node
    }
}

/// A numeric limit and its text as written, so messages say "50", not "50.0".
struct NumericBound: Sendable {
    let value: Double
    let text: String
}

/// A `pattern`, compiled once when the manifest loads.
struct CompiledPattern: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable once made and documented as safe to use
    // from several threads at once.
    let source: String
    let expression: NSRegularExpression

    /// JSON Schema 2020-12 validation §6.3.3: the pattern may match anywhere (it is not anchored).
    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}
