/// A JSON value (RFC 8259) whose objects keep their keys in a chosen order, so the starter
/// manifest prints keys in the order docs/MANIFEST.md lists them and the same input always gives
/// the same bytes. Foundation's dictionaries have no order; this type is what they are read into.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's JSON text, already in its printed form (integers without ".0").
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }
}

/// A JSON object with its keys in insertion order; setting an existing key keeps its place.
struct JSONObject: Equatable, Sendable {
    private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    init() {}

    init(_ pairs: KeyValuePairs<String, JSONValue>) {
        for (key, value) in pairs { self[key] = value }
    }

    var isEmpty: Bool { keys.isEmpty }

    subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The pairs in key order.
    var entries: [(key: String, value: JSONValue)] {
        keys.map { ($0, values[$0]!) }
    }
}
