import MCP

/// A `call.body` JSON template: a string that is exactly `"{{name}}"` becomes the argument's
/// value with its JSON type; every other value, strings included, is literal. An absent
/// argument's member or array element is left out, so optional arguments need no `null`s.
public struct BodyTemplate: Sendable {
    indirect enum Node: Sendable {
        case literal(Value)
        case argument(String)
        case array([Node])
        case object([(key: String, node: Node)])
    }

    let root: Node
    /// Every argument slot with its JSON path below the body (".note.title", "[0]"), in key order.
    let argumentSlots: [(path: String, name: String)]

    public init(_ template: Value) {
        var slots: [(path: String, name: String)] = []
        root = Self.node(template, path: "", slots: &slots)
        argumentSlots = slots
    }

    /// The arguments it names, in key order.
    public var argumentNames: [String] { argumentSlots.map(\.name) }

    /// The name in a string that is exactly `{{name}}`; in a body, pointers mean nothing.
    static func argumentName(in text: String) -> String? {
        guard text.hasPrefix("{{"), text.hasSuffix("}}"), text.utf8.count > 4 else { return nil }
        let name = text.dropFirst(2).dropLast(2)
        guard !name.contains("{"), !name.contains("}"), !name.hasPrefix("/") else { return nil }
        return String(name)
    }

    private static func node(_ value: Value, path: String, slots: inout [(path: String, name: String)]) -> Node {
        switch value {
        case .string(let text):
            guard let name = argumentName(in: text) else { return .literal(value) }
            slots.append((path, name))
            return .argument(name)
        case .array(let elements):
            let nodes = elements.enumerated().map { node($1, path: "\(path)[\($0)]", slots: &slots) }
            return nodes.allSatisfy(\.isLiteral) ? .literal(value) : .array(nodes)
        case .object(let members):
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let nodes = keys.map { (key: $0, node: node(members[$0] ?? .null, path: "\(path).\($0)", slots: &slots)) }
            return nodes.allSatisfy(\.node.isLiteral) ? .literal(value) : .object(nodes)
        default:
            return .literal(value)
        }
    }

    /// The body to send; a template that is only an absent argument gives `null`.
    public func render(_ arguments: [String: Value]) -> Value {
        Self.render(root, arguments) ?? .null
    }

    private static func render(_ node: Node, _ arguments: [String: Value]) -> Value? {
        switch node {
        case .literal(let value):
            return value
        case .argument(let name):
            return arguments[name]
        case .array(let elements):
            return .array(elements.compactMap { render($0, arguments) })
        case .object(let members):
            var object = [String: Value](minimumCapacity: members.count)
            for member in members {
                if let value = render(member.node, arguments) { object[member.key] = value }
            }
            return .object(object)
        }
    }
}

private extension BodyTemplate.Node {
    var isLiteral: Bool {
        if case .literal = self { return true }
        return false
    }
}
