import MCP

/// Builds the SDK's `Value`. RFC 8259 §4 leaves duplicate names to the reader; like most readers,
/// the last one wins.
enum ValueTreeBuilder: JSONTreeBuilder {
    static func null(at offset: Int) -> Value { .null }
    static func bool(_ value: Bool, at offset: Int) -> Value { .bool(value) }
    static func int(_ value: Int, at offset: Int) -> Value { .int(value) }
    static func double(_ value: Double, at offset: Int) -> Value { .double(value) }
    static func string(_ value: String, at offset: Int) -> Value { .string(value) }
    static func array(_ elements: [Value], at offset: Int) -> Value { .array(elements) }

    static func object(_ members: [(key: String, keyOffset: Int, value: Value)], at offset: Int) -> Value {
        var object = [String: Value](minimumCapacity: members.count)
        for member in members {
            object[member.key] = member.value
        }
        return .object(object)
    }
}
