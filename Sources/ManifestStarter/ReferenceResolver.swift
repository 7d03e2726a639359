/// Follows the Reference Objects that stand for parameters, request bodies, responses and path
/// items (OpenAPI 3.1 §4.8.23 Reference Object; 3.0 §4.7.23). Only references inside the
/// document are followed: the starter reads one file and fetches nothing.
struct ReferenceResolver {
    /// The whole OpenAPI document, which `#/…` pointers are read against.
    let document: JSONValue

    /// More nested references than this are taken for a mistake, as a cycle is.
    static let maximumDepth = 32

    /// The object `value` is, or the one its `$ref` chain ends at, with that object's location;
    /// nil, after a warning, when the chain leaves the document, loops or ends at nothing.
    /// OpenAPI 3.1 §4.8.23: a Reference Object's `summary` and `description` override the
    /// target's, so keys beside `$ref` are laid over what it points at.
    func object(_ value: JSONValue, at location: String, warnings: inout StarterWarnings) -> (object: JSONObject, location: String)? {
        var current = value
        var currentLocation = location
        var followed: [String] = []
        var overrides = JSONObject()
        while true {
            guard case .object(let object) = current else {
                warnings.add("\(currentLocation): expected an object; skipped")
                return nil
            }
            guard let reference = object["$ref"]?.stringValue else {
                var result = object
                for (key, value) in overrides.entries { result[key] = value }
                return (result, currentLocation)
            }
            for (key, value) in object.entries where key != "$ref" && overrides[key] == nil { overrides[key] = value }
            guard reference.hasPrefix("#") else {
                warnings.add("\(currentLocation): external $ref \"\(reference)\" is not followed (only references inside the document are); skipped")
                return nil
            }
            guard !followed.contains(reference) else {
                warnings.add("\(currentLocation): $ref \"\(reference)\" leads back to itself (a cycle); skipped")
                return nil
            }
            guard followed.count < Self.maximumDepth else {
                warnings.add("\(currentLocation): more than \(Self.maximumDepth) nested $refs; skipped")
                return nil
            }
            guard let target = JSONPointer.resolve(reference, in: document) else {
                warnings.add("\(currentLocation): $ref \"\(reference)\" points at nothing in the document; skipped")
                return nil
            }
            followed.append(reference)
            current = target
            currentLocation = reference
        }
    }
}
