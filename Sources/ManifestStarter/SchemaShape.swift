/// What kind of value a simplified schema describes, as far as the manifest cares: whether its
/// properties can become tool arguments, and whether an answer can be structured content as is.
enum SchemaShape {
    /// The `type` keyword as a list (JSON Schema 2020-12 §6.1.1 allows a string or an array).
    static func types(of schema: JSONObject) -> [String]? {
        switch schema["type"] {
        case .string(let type): return [type]
        case .array(let types): return types.compactMap(\.stringValue)
        default: return nil
        }
    }

    /// An object schema: typed "object", or untyped with `properties`.
    static func isObject(_ schema: JSONObject) -> Bool {
        if let types = types(of: schema) { return types.contains("object") }
        return schema["properties"] != nil
    }

    /// An array schema: typed "array" (and not also "object"), or untyped with `items`.
    static func isArray(_ schema: JSONObject) -> Bool {
        if let types = types(of: schema) { return types.contains("array") && !types.contains("object") }
        return schema["items"] != nil
    }

    /// `{}`: anything at all, nothing known about it.
    static func isUnconstrained(_ schema: JSONObject) -> Bool {
        schema.keys.allSatisfy { ["title", "description", "$comment", "deprecated", "readOnly", "writeOnly", "examples", "default"].contains($0) }
    }
}
