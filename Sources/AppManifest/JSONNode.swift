import MCP

/// A JSON value as written: object members in document order, duplicates kept, each value with
/// the byte offset where it starts. The manifest is read from this, so problems come out in
/// document order and a duplicate key is never silently dropped.
struct JSONNode: Sendable {
    enum Content: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case array([JSONNode])
        case object([JSONMember])
    }

    let offset: Int
    let content: Content

    var string: String? {
        if case .string(let text) = content { return text }
        return nil
    }
}

struct JSONMember: Sendable {
    let key: String
    let keyOffset: Int
    let value: JSONNode
}

enum JSONNodeBuilder: JSONTreeBuilder {
    static func null(at offset: Int) -> JSONNode { JSONNode(offset: offset, content: .null) }
    static func bool(_ value: Bool, at offset: Int) -> JSONNode { JSONNode(offset: offset, content: .bool(value)) }
    static func int(_ value: Int, at offset: Int) -> JSONNode { JSONNode(offset: offset, content: .int(value)) }
    static func double(_ value: Double, at offset: Int) -> JSONNode { JSONNode(offset: offset, content: .double(value)) }
    static func string(_ value: String, at offset: Int) -> JSONNode { JSONNode(offset: offset, content: .string(value)) }
    static func array(_ elements: [JSONNode], at offset: Int) -> JSONNode { JSONNode(offset: offset, content: .array(elements)) }

    static func object(_ members: [(key: String, keyOffset: Int, value: JSONNode)], at offset: Int) -> JSONNode {
        JSONNode(offset: offset, content: .object(members.map { JSONMember(key: $0.key, keyOffset: $0.keyOffset, value: $0.value) }))
    }
}
