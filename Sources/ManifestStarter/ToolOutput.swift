/// A tool's `outputSchema` and `result.structuredContent` from the operation's success answer.
/// MCP's structured content is a JSON object, so an array or a scalar answer is put under a key.
struct ToolOutput {
    /// The JSON Schema of the structured content, always `"type": "object"` at its root; nil when
    /// the answer is not described.
    var outputSchema: JSONObject?
    /// `result.structuredContent` when the whole answer is not itself the object, else nil.
    var structuredContent: JSONValue?

    init(site: OperationSite, document: JSONValue, warnings: inout StarterWarnings) {
        let responsesLocation = JSONPointer.appending(site.operationLocation, "responses")
        guard let responses = site.operation["responses"]?.objectValue, let status = Self.successStatus(in: responses),
              let (response, location) = ReferenceResolver(document: document)
                  .object(responses[status]!, at: JSONPointer.appending(responsesLocation, status), warnings: &warnings),
              let content = response["content"]?.objectValue,
              let (mediaType, media) = JSONMediaType.entry(in: content),
              let rawSchema = media["schema"]
        else { return }
        let schemaLocation = JSONPointer.appending(JSONPointer.appending(JSONPointer.appending(location, "content"), mediaType), "schema")
        var schema = SchemaSimplifier(document: document).simplify(rawSchema, at: schemaLocation, warnings: &warnings)
        if SchemaShape.isUnconstrained(schema) { return }

        if SchemaShape.isObject(schema) {
            if schema["type"] == nil { schema["type"] = .string("object") }
            outputSchema = SchemaSimplifier.ordered(schema)
        } else {
            let key = SchemaShape.isArray(schema) ? "items" : "value"
            outputSchema = JSONObject([
                "type": .string("object"),
                "properties": .object(JSONObject([key: .object(schema)])),
                "required": .array([.string(key)]),
            ])
            structuredContent = .object(JSONObject([key: .string("")]))
        }
    }

    /// "200", else the first other 2xx in order, "2XX" last (OpenAPI 3.1 §4.8.16.2 Patterned Fields).
    static func successStatus(in responses: JSONObject) -> String? {
        if responses["200"] != nil { return "200" }
        return responses.keys.sorted().first { $0.count == 3 && $0.hasPrefix("2") }
    }
}
