import MCP

/// Walks the manifest's JSON, reporting every problem with its path and the byte offset it
/// belongs to; `problems` sorts them by offset, so they come out in document order whatever
/// order the checks ran in (scopes are needed before tools, wherever the file puts them).
final class ManifestReader {
    private var located: [(offset: Int, problem: ManifestProblem)] = []

    var problems: [ManifestProblem] {
        // Sorting by (offset, order reported) keeps problems at the same place in report order.
        located.enumerated()
            .sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }
            .map(\.element.problem)
    }

    var hasProblems: Bool { !located.isEmpty }

    func report(_ path: String, _ message: String, at offset: Int) {
        located.append((offset, ManifestProblem(path: path, message: message)))
    }

    /// The members of an object, first occurrence of each key. Reports a value that is not an
    /// object, each repeated key, and (when `keys` is given) each key that is not one of them.
    func object(_ node: JSONNode, path: String, keys: Set<String>?) -> ObjectReading? {
        guard case .object(let list) = node.content else {
            report(path, "must be an object", at: node.offset)
            return nil
        }
        var members: [String: JSONNode] = [:]
        for member in list {
            let memberPath = ManifestPath.member(path, member.key)
            if members[member.key] != nil {
                report(memberPath, "duplicate key \"\(member.key)\"", at: member.keyOffset)
                continue
            }
            if let keys, !keys.contains(member.key), !(path.isEmpty && member.key == "$schema") {
                report(memberPath, "is not a known key", at: member.keyOffset)
                continue
            }
            members[member.key] = member.value
        }
        return ObjectReading(node: node, path: path, members: members, order: list.map(\.key))
    }

    func required(_ object: ObjectReading, _ key: String) -> JSONNode? {
        guard let node = object[key] else {
            report(object.path(key), "is required", at: object.node.offset)
            return nil
        }
        return node
    }

    func string(_ object: ObjectReading, _ key: String, required isRequired: Bool = false) -> String? {
        guard let node = isRequired ? required(object, key) : object[key] else { return nil }
        return string(node, path: object.path(key))
    }

    func string(_ node: JSONNode, path: String) -> String? {
        guard let text = node.string else {
            report(path, "must be a string", at: node.offset)
            return nil
        }
        return text
    }

    /// A required string that must say something.
    func text(_ object: ObjectReading, _ key: String) -> String? {
        guard let text = string(object, key, required: true) else { return nil }
        guard !text.isEmpty else {
            report(object.path(key), "must not be empty", at: object[key]?.offset ?? object.node.offset)
            return nil
        }
        return text
    }

    func bool(_ object: ObjectReading, _ key: String) -> Bool? {
        guard let node = object[key] else { return nil }
        guard case .bool(let flag) = node.content else {
            report(object.path(key), "must be a boolean", at: node.offset)
            return nil
        }
        return flag
    }

    func number(_ object: ObjectReading, _ key: String) -> Double? {
        guard let node = object[key] else { return nil }
        switch node.content {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default:
            report(object.path(key), "must be a number", at: node.offset)
            return nil
        }
    }

    func array(_ node: JSONNode, path: String) -> [JSONNode]? {
        guard case .array(let elements) = node.content else {
            report(path, "must be an array", at: node.offset)
            return nil
        }
        return elements
    }

    /// An array of strings; elements that are not strings are reported and left out.
    func strings(_ node: JSONNode, path: String) -> [(text: String, node: JSONNode, path: String)]? {
        guard let elements = array(node, path: path) else { return nil }
        return elements.enumerated().compactMap { position, element in
            let elementPath = ManifestPath.element(path, position)
            return string(element, path: elementPath).map { ($0, element, elementPath) }
        }
    }

    /// The node as the SDK's `Value` (schemas, body templates), reporting repeated keys anywhere in it.
    func value(_ node: JSONNode, path: String) -> Value {
        switch node.content {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .array(let elements):
            return .array(elements.enumerated().map { value($1, path: ManifestPath.element(path, $0)) })
        case .object(let list):
            var members: [String: Value] = [:]
            for member in list {
                let memberPath = ManifestPath.member(path, member.key)
                guard members[member.key] == nil else {
                    report(memberPath, "duplicate key \"\(member.key)\"", at: member.keyOffset)
                    continue
                }
                members[member.key] = value(member.value, path: memberPath)
            }
            return .object(members)
        }
    }
}

/// One object of the manifest, read: its members (first occurrence of each key) and its path.
struct ObjectReading {
    let node: JSONNode
    let path: String
    let members: [String: JSONNode]
    /// Keys in document order.
    let order: [String]

    subscript(key: String) -> JSONNode? { members[key] }

    func path(_ key: String) -> String { ManifestPath.member(path, key) }

    func offset(_ key: String) -> Int { members[key]?.offset ?? node.offset }
}
