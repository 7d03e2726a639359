/// The parameters that apply to an operation: the path item's, replaced by the operation's of
/// the same `name` and `in` (OpenAPI 3.1 §4.8.9.1 `parameters`: "can be overridden at the
/// operation level, but cannot be removed there").
enum ParameterCollection {
    struct Parameter {
        /// OpenAPI 3.1 §4.8.12 Parameter Object, its `$ref` followed.
        let object: JSONObject
        let location: String
        let name: String
        /// "path", "query", "header" or "cookie".
        let place: String
    }

    static func parameters(of site: OperationSite, resolver: ReferenceResolver, warnings: inout StarterWarnings) -> [Parameter] {
        var parameters: [Parameter] = []
        let lists = [(site.pathItem, site.pathItemLocation), (site.operation, site.operationLocation)]
        for (owner, ownerLocation) in lists {
            let listLocation = JSONPointer.appending(ownerLocation, "parameters")
            for (index, raw) in (owner["parameters"]?.arrayValue ?? []).enumerated() {
                guard let (object, location) = resolver.object(raw, at: JSONPointer.appending(listLocation, String(index)), warnings: &warnings)
                else { continue }
                guard let name = object["name"]?.stringValue, let place = object["in"]?.stringValue else {
                    warnings.add("\(location): a parameter needs \"name\" and \"in\"; skipped")
                    continue
                }
                let parameter = Parameter(object: object, location: location, name: name, place: place)
                if let same = parameters.firstIndex(where: { $0.name == name && $0.place == place }) {
                    parameters[same] = parameter
                } else {
                    parameters.append(parameter)
                }
            }
        }
        return parameters
    }
}
