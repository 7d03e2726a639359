import MCP

/// JSON Schema 2020-12 core §4.2.2: two values are equal when they are the same JSON value;
/// numbers compare by mathematical value, so 1 equals 1.0 (unlike `Value`'s `==`).
enum JSONEquality {
    static func equal(_ left: Value, _ right: Value) -> Bool {
        switch (left, right) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(a) == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default:
            return left == right
        }
    }
}
