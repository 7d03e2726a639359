import Backend
import MCP

/// The items backend's JSON as the SDK's `Value`, for `structuredContent` (public for the
/// benchmark, which gives the SDK's own server the same results).
public enum ItemValues {
    public static func value(_ item: BackendItem) -> Value {
        value(.object(item.jsonObject))
    }

    public static func list(_ items: [BackendItem]) -> Value {
        .array(items.map(value))
    }

    public static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .int(number)
        case .double(let number): .double(number)
        case .string(let text): .string(text)
        case .array(let values): .array(values.map(value))
        case .object(let object): .object(object.mapValues(value))
        }
    }

    /// The JSON Schema of one item in tool output (`outputSchema`); extra fields are allowed.
    static let itemSchema: Value = [
        "type": "object",
        "properties": [
            "id": ["type": "string"],
            "title": ["type": "string"],
            "status": ["type": "string", "description": "open or done"],
        ],
        "required": ["id", "title"],
    ]
}
