/// What the call and result templates may name: the input schema's top-level properties.
struct ArgumentNames {
    let schema: ArgumentSchema

    func isProperty(_ name: String) -> Bool { schema.root.properties[name] != nil }

    func isRequired(_ name: String) -> Bool { schema.root.required.contains(name) }

    /// Whether the property can only be a string, integer or number, so it always makes a segment.
    func isScalar(_ name: String) -> Bool {
        guard let types = schema.propertyTypes(name) else { return false }
        return types.allSatisfy { $0 == .string || $0 == .integer || $0 == .number }
    }

    /// Reports each distinct name that is not an input property, once.
    func reportUnknown(_ names: [String], path: String, at offset: Int, reader: ManifestReader) {
        var reported: Set<String> = []
        for name in names where !isProperty(name) && reported.insert(name).inserted {
            reader.report(path, "{\(name)} is not an input property", at: offset)
        }
    }
}
