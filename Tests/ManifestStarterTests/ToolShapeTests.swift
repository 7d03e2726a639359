import ManifestStarter
import Testing

/// How an operation's parameters, body and answer become a tool's input, `call` and output.
@Suite struct ToolShapeTests {
    private func tool(_ paths: String, _ include: String, components: String = "{}", version: String = "3.1.0") throws
        -> (tool: [String: Any], warnings: [String]) {
        let result = try OpenAPIStarter.manifest(openAPI: Fixture.document(paths: paths, components: components, version: version), includes: [include])
        return (try Fixture.tool(result), result.warnings)
    }

    @Test func arrayAnswerIsPutUnderItems() throws {
        let (tool, _) = try tool(#"""
            {"/tags": {"get": {"responses": {"200": {"description": "", "content": {"application/json":
                {"schema": {"type": "array", "items": {"type": "string"}}}}}}}}}
            """#, "GET /tags")
        let output = try #require(tool["outputSchema"] as? [String: Any])
        #expect(output["type"] as? String == "object")
        #expect(output["required"] as? [String] == ["items"])
        let items = (output["properties"] as? [String: Any])?["items"] as? [String: Any]
        #expect(items?["type"] as? String == "array")
        #expect((tool["result"] as? [String: Any])?["structuredContent"] as? [String: String] == ["items": ""])
    }

    @Test func scalarAnswerIsPutUnderValue() throws {
        let (tool, _) = try tool(#"""
            {"/count": {"get": {"responses": {"2XX": {"description": "", "content": {"application/json; charset=utf-8":
                {"schema": {"type": "integer"}}}}}}}}
            """#, "GET /count")
        #expect((tool["result"] as? [String: Any])?["structuredContent"] as? [String: String] == ["value": ""])
        #expect((tool["outputSchema"] as? [String: Any])?["required"] as? [String] == ["value"])
    }

    @Test func firstSuccessIsTakenWhenThereIsNo200() throws {
        let (tool, _) = try tool(#"""
            {"/jobs": {"post": {"responses": {
                "202": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {"job": {"type": "string"}}}}}},
                "201": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
                "400": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}}}}}}}
            """#, "POST /jobs")
        let properties = (tool["outputSchema"] as? [String: Any])?["properties"] as? [String: Any]
        #expect(properties?.keys.sorted() == ["id"])
        #expect(tool["result"] == nil)
    }

    @Test func untypedObjectAnswerIsTypedObject() throws {
        let (tool, _) = try tool(#"""
            {"/me": {"get": {"responses": {"200": {"description": "", "content": {"application/vnd.api+json":
                {"schema": {"properties": {"name": {"type": "string"}}}}}}}}}}
            """#, "GET /me")
        #expect((tool["outputSchema"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test func headerAndCookieParametersAreSkippedWithWarnings() throws {
        let (tool, warnings) = try tool(#"""
            {"/notes": {"get": {"parameters": [
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                {"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}], "responses": {}}}}
            """#, "GET /notes")
        let input = try #require(tool["inputSchema"] as? [String: Any])
        #expect((input["properties"] as? [String: Any])?.keys.sorted() == ["q"])
        #expect(input["required"] as? [String] == ["q"])
        #expect(input["additionalProperties"] as? Bool == false)
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("#/paths/~1notes/get/parameters/0: skipped header parameter \"X-Trace\"") == true)
    }

    @Test func pathParametersComeFirstAreRequiredAndOverriddenByTheOperation() throws {
        let (tool, warnings) = try tool(#"""
            {"/users/{user}/notes/{note}": {
                "parameters": [{"name": "note", "in": "path", "required": true, "schema": {"type": "string"}, "description": "old"},
                               {"name": "user", "in": "path", "required": true}],
                "get": {"parameters": [{"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
                                       {"name": "note", "in": "path", "required": true, "schema": {"type": "integer"}, "description": "The note number."}],
                        "responses": {}}}}
            """#, "GET /users/{user}/notes/{note}")
        let input = try #require(tool["inputSchema"] as? [String: Any])
        let properties = try #require(input["properties"] as? [String: [String: Any]])
        #expect(input["required"] as? [String] == ["user", "note"])
        #expect(properties["user"]?["type"] as? String == "string")
        #expect(properties["note"]?["type"] as? String == "integer")
        #expect(properties["note"]?["description"] as? String == "The note number.")
        #expect((tool["call"] as? [String: Any])?["query"] as? [String] == ["verbose"])
        #expect(warnings == [])
    }

    @Test func undeclaredPathParameterIsTakenAsAString() throws {
        let (tool, warnings) = try tool(#"{"/notes/{id}": {"get": {"responses": {}}}}"#, "GET /notes/{id}")
        let input = try #require(tool["inputSchema"] as? [String: Any])
        #expect(input["required"] as? [String] == ["id"])
        #expect(warnings == ["#/paths/~1notes~1{id}/get: path parameter \"id\" is not declared; taken as a string"])
    }

    @Test func bodyPropertiesJoinTheArgumentsButNotReadOnlyOnes() throws {
        let (tool, warnings) = try tool(#"""
            {"/notes/{id}": {"put": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                    "required": ["title", "id"], "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                    "updatedAt": {"type": "string", "readOnly": true}}}}}},
                "responses": {}}}}
            """#, "PUT /notes/{id}")
        let input = try #require(tool["inputSchema"] as? [String: Any])
        #expect((input["properties"] as? [String: Any])?.keys.sorted() == ["id", "title"])
        #expect(input["required"] as? [String] == ["id", "title"])
        #expect((tool["call"] as? [String: Any])?["body"] == nil)
        #expect(warnings == ["#/paths/~1notes~1{id}/put/requestBody/content/application~1json/schema/properties/id: body property \"id\" has the name of a path or query parameter; kept the parameter"])
    }

    @Test func optionalBodyRequiresNothing() throws {
        let (tool, _) = try tool(#"""
            {"/notes": {"patch": {"requestBody": {"content": {"application/merge-patch+json": {"schema": {"type": "object",
                "required": ["title"], "properties": {"title": {"type": "string"}}}}}}, "responses": {}}}}
            """#, "PATCH /notes")
        let input = try #require(tool["inputSchema"] as? [String: Any])
        #expect((input["properties"] as? [String: Any])?.keys.sorted() == ["title"])
        #expect(input["required"] == nil)
    }

    @Test func deleteWithABodySendsItsArguments() throws {
        let (tool, _) = try tool(#"""
            {"/notes": {"delete": {"requestBody": {"content": {"application/json": {"schema": {"type": "object",
                "properties": {"ids": {"type": "array", "items": {"type": "string"}}}}}}}, "responses": {}}}}
            """#, "DELETE /notes")
        #expect((tool["call"] as? [String: Any])?["body"] as? String == "arguments")
    }

    @Test func nonObjectBodyIsOneArgumentSentByTemplate() throws {
        let (tool, _) = try tool(#"""
            {"/notes/bulk": {"post": {"requestBody": {"required": true, "description": "The notes to create.",
                "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}}}},
                "responses": {}}}}
            """#, "POST /notes/bulk", components: #"{"schemas": {"Note": {"type": "object", "properties": {"title": {"type": "string"}}}}}"#)
        let input = try #require(tool["inputSchema"] as? [String: Any])
        let body = try #require((input["properties"] as? [String: [String: Any]])?["body"])
        #expect(body["type"] as? String == "array")
        #expect(body["description"] as? String == "The notes to create.")
        #expect(input["required"] as? [String] == ["body"])
        #expect((tool["call"] as? [String: Any])?["body"] as? String == "{{body}}")
    }

    @Test func nonJSONBodyIsSkippedWithAWarning() throws {
        let (tool, warnings) = try tool(#"""
            {"/files": {"post": {"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}}, "responses": {}}}}
            """#, "POST /files")
        #expect(((tool["inputSchema"] as? [String: Any])?["properties"] as? [String: Any])?.isEmpty == true)
        #expect(warnings == ["#/paths/~1files/post/requestBody/content: skipped the request body: a tool sends JSON bodies only, and this one is multipart/form-data"])
    }

    @Test func openAPI30DocumentWithNullableParameter() throws {
        let (tool, _) = try tool(#"""
            {"/notes": {"get": {"parameters": [{"name": "before", "in": "query", "example": "2026-01-01",
                "schema": {"type": "string", "format": "date", "nullable": true}}], "responses": {}}}}
            """#, "GET /notes", version: "3.0.3")
        let before = ((tool["inputSchema"] as? [String: Any])?["properties"] as? [String: [String: Any]])?["before"]
        #expect(before?["type"] as? [String] == ["string", "null"])
        #expect(before?["examples"] as? [String] == ["2026-01-01"])
    }

    @Test func titleAndDescriptionFromSummaryAndDescription() throws {
        let (described, _) = try tool(#"{"/a": {"get": {"summary": " Find a ", "description": "Finds an a.", "responses": {}}}}"#, "GET /a")
        #expect(described["title"] as? String == "Find a")
        #expect(described["description"] as? String == "Finds an a.")
        let (bare, _) = try tool(#"{"/a": {"get": {"responses": {}}}}"#, "GET /a")
        #expect(bare["title"] == nil)
        #expect(bare["description"] as? String == "TODO: say what GET /a does and when the model should call it.")
    }
}
