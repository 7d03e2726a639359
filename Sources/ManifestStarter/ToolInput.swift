/// A tool's arguments from an operation: its path and query parameters, then the properties of
/// its JSON request body, as one `inputSchema` object, with the `call` keys that send each
/// argument where the API expects it (docs/MANIFEST.md, `call`).
struct ToolInput {
    /// `{"type": "object", "properties", "required", "additionalProperties": false}`.
    var inputSchema = JSONObject()
    /// `call.query`: the arguments sent as query parameters, in document order.
    var query: [String] = []
    /// `call.body` when the method's default is not the right one, else nil.
    var body: JSONValue?

    init(site: OperationSite, document: JSONValue, warnings: inout StarterWarnings) {
        let resolver = ReferenceResolver(document: document)
        let simplifier = SchemaSimplifier(document: document)
        var properties = JSONObject()
        var required: [String] = []

        let parameters = ParameterCollection.parameters(of: site, resolver: resolver, warnings: &warnings)
        let templateNames = site.templateNames
        // Path arguments first, in the order the path has them.
        for name in templateNames {
            if let parameter = parameters.first(where: { $0.place == "path" && $0.name == name }) {
                var schema = Self.schema(of: parameter, simplifier: simplifier, warnings: &warnings)
                // docs/MANIFEST.md: a `{name}` is a string, integer or number argument.
                if schema["type"] == nil { schema["type"] = .string("string") }
                properties[name] = .object(SchemaSimplifier.ordered(schema))
            } else {
                warnings.add("\(site.operationLocation): path parameter \"\(name)\" is not declared; taken as a string")
                properties[name] = .object(JSONObject(["type": .string("string")]))
            }
            // OpenAPI 3.1 §4.8.12.2: a path parameter's `required` must be true.
            if !required.contains(name) { required.append(name) }
        }
        for parameter in parameters {
            switch parameter.place {
            case "path":
                if !templateNames.contains(parameter.name) {
                    warnings.add("\(parameter.location): path parameter \"\(parameter.name)\" is not in the path \(site.key.path); skipped")
                }
            case "query":
                guard properties[parameter.name] == nil else {
                    warnings.add("\(parameter.location): query parameter \"\(parameter.name)\" has the name of a path parameter; skipped")
                    continue
                }
                properties[parameter.name] = .object(Self.schema(of: parameter, simplifier: simplifier, warnings: &warnings))
                query.append(parameter.name)
                if parameter.object["required"]?.boolValue == true { required.append(parameter.name) }
            case "header", "cookie":
                // Every call's headers are the server's own, but for constant ones in `call.headers`.
                warnings.add("\(parameter.location): skipped \(parameter.place) parameter \"\(parameter.name)\": a tool's arguments go in the path, query or body (a constant header can be set in call.headers)")
            default:
                warnings.add("\(parameter.location): skipped parameter \"\(parameter.name)\" in \"\(parameter.place)\"")
            }
        }

        if let rawBody = site.operation["requestBody"],
           let (requestBody, bodyLocation) = resolver.object(rawBody, at: JSONPointer.appending(site.operationLocation, "requestBody"), warnings: &warnings) {
            addBody(requestBody, at: bodyLocation, method: site.key.method, simplifier: simplifier,
                    properties: &properties, required: &required, warnings: &warnings)
        }

        inputSchema["type"] = .string("object")
        inputSchema["properties"] = .object(properties)
        if !required.isEmpty { inputSchema["required"] = .array(required.map(JSONValue.string)) }
        inputSchema["additionalProperties"] = .bool(false)
    }

    /// The argument schema of a parameter: its `schema` (or, OpenAPI 3.1 §4.8.12.4, the one
    /// media type of its `content`), with the parameter's `description`, `deprecated` and
    /// `example` (§4.8.12.3) carried over since the model reads them there.
    private static func schema(of parameter: ParameterCollection.Parameter, simplifier: SchemaSimplifier,
                               warnings: inout StarterWarnings) -> JSONObject {
        var schema = JSONObject()
        if let raw = parameter.object["schema"] {
            schema = simplifier.simplify(raw, at: JSONPointer.appending(parameter.location, "schema"), warnings: &warnings)
        } else if let content = parameter.object["content"]?.objectValue, let mediaType = content.keys.first,
                  let raw = content[mediaType]?.objectValue?["schema"] {
            let location = JSONPointer.appending(JSONPointer.appending(JSONPointer.appending(parameter.location, "content"), mediaType), "schema")
            schema = simplifier.simplify(raw, at: location, warnings: &warnings)
        }
        if let description = parameter.object["description"]?.stringValue { schema["description"] = .string(description) }
        if parameter.object["deprecated"]?.boolValue == true { schema["deprecated"] = .bool(true) }
        if schema["examples"] == nil, let example = parameter.object["example"] { schema["examples"] = .array([example]) }
        return SchemaSimplifier.ordered(schema)
    }

    /// A JSON request body (OpenAPI 3.1 §4.8.13 Request Body Object): an object's properties
    /// become arguments of their own, sent back as the body by `call.body`'s default
    /// `"arguments"`; any other schema is one argument `body`, sent by the template "{{body}}".
    private mutating func addBody(_ requestBody: JSONObject, at location: String, method: String, simplifier: SchemaSimplifier,
                                  properties: inout JSONObject, required: inout [String], warnings: inout StarterWarnings) {
        let content = requestBody["content"]?.objectValue ?? JSONObject()
        let contentLocation = JSONPointer.appending(location, "content")
        guard let (mediaType, media) = JSONMediaType.entry(in: content) else {
            if !content.isEmpty {
                warnings.add("\(contentLocation): skipped the request body: a tool sends JSON bodies only, and this one is \(content.keys.joined(separator: ", "))")
            }
            return
        }
        let schemaLocation = JSONPointer.appending(JSONPointer.appending(contentLocation, mediaType), "schema")
        let schema = simplifier.simplify(media["schema"] ?? .object(JSONObject()), at: schemaLocation, warnings: &warnings)
        let bodyRequired = requestBody["required"]?.boolValue == true
        // docs/MANIFEST.md: `call.body` defaults to "arguments" for POST, PUT and PATCH only.
        let sendsArgumentsByDefault = ["POST", "PUT", "PATCH"].contains(method)

        if SchemaShape.isObject(schema), let bodyProperties = schema["properties"]?.objectValue, !bodyProperties.isEmpty {
            var added: [String] = []
            for (name, propertySchema) in bodyProperties.entries {
                // OpenAPI 3.0 §4.7.24 readOnly: "SHOULD NOT be sent as part of the request".
                if propertySchema.objectValue?["readOnly"]?.boolValue == true { continue }
                guard properties[name] == nil else {
                    warnings.add("\(JSONPointer.appending(JSONPointer.appending(schemaLocation, "properties"), name)): body property \"\(name)\" has the name of a path or query parameter; kept the parameter")
                    continue
                }
                properties[name] = propertySchema
                added.append(name)
            }
            if bodyRequired, let names = schema["required"]?.arrayValue {
                required += names.compactMap(\.stringValue).filter { added.contains($0) && !required.contains($0) }
            }
            if !sendsArgumentsByDefault { body = .string("arguments") }
        } else {
            let name = ["body", "requestBody", "request-body"].first { properties[$0] == nil } ?? "body"
            var bodySchema = schema
            if bodySchema["description"] == nil, let description = requestBody["description"]?.stringValue {
                bodySchema["description"] = .string(description)
            }
            properties[name] = .object(SchemaSimplifier.ordered(bodySchema))
            if bodyRequired { required.append(name) }
            body = .string("{{\(name)}}")
        }
    }
}
