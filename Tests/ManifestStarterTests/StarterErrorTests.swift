import ManifestStarter
import Testing

/// Each refusal is one line that says what to do.
@Suite struct StarterErrorTests {
    static let notes = Fixture.document(paths: """
        {"/notes": {"get": {"responses": {}}, "post": {"responses": {}}, "head": {"responses": {}}},
         "/notes/{id}": {"get": {"responses": {}}}}
        """)

    private func problems(_ bytes: [UInt8], _ includes: [String] = ["GET /notes"]) -> [String] {
        do {
            _ = try OpenAPIStarter.manifest(openAPI: bytes, includes: includes)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func unknownIncludeIsNamedWithTheAvailableOperations() {
        #expect(problems(Self.notes, ["GET /note", "DELETE /notes"]) == [
            "--include \"GET /note\": no operation GET /note in the document's paths; the document has: GET /notes, POST /notes, GET /notes/{id}",
            "--include \"DELETE /notes\": no operation DELETE /notes in the document's paths; the document has: GET /notes, POST /notes, GET /notes/{id}",
        ])
    }

    @Test func availableOperationsAreListedUpToTwenty() throws {
        let paths = (0..<25).map { "\"/n\($0 < 10 ? "0" : "")\($0)\": {\"get\": {\"responses\": {}}}" }.joined(separator: ", ")
        let problem = try #require(problems(Fixture.document(paths: "{\(paths)}"), ["GET /x"]).first)
        #expect(problem.hasSuffix("GET /n18, GET /n19 (and 5 more)"))
        #expect(!problem.contains("/n20"))
    }

    @Test func noIncludesAsksToChooseSome() throws {
        let problem = try #require(problems(Self.notes, []).first)
        #expect(problem.hasPrefix("choose the operations to offer as tools with --include 'METHOD /path'"))
        #expect(problem.hasSuffix("the document has: GET /notes, POST /notes, GET /notes/{id}"))
    }

    @Test func includeNotOfTheFormMethodPath() {
        #expect(problems(Self.notes, ["/notes"]) == ["--include \"/notes\" is not \"METHOD /path\", e.g. --include 'GET /notes'"])
        #expect(problems(Self.notes, ["GET notes"]) == ["--include \"GET notes\" is not \"METHOD /path\", e.g. --include 'GET /notes'"])
    }

    @Test func methodIsCaseInsensitiveButThePathIsExact() {
        #expect(problems(Self.notes, ["get /notes", " Post   /notes "]) == [])
        #expect(problems(Self.notes, ["GET /Notes"]).first?.hasPrefix("--include \"GET /Notes\": no operation") == true)
    }

    @Test func methodsAManifestCannotCall() {
        #expect(problems(Self.notes, ["HEAD /notes"]) == ["--include \"HEAD /notes\": a manifest tool calls GET, POST, PUT, PATCH or DELETE, not HEAD"])
    }

    @Test func notJSON() {
        #expect(problems(Array(#"{"openapi": "3.1.0", "#.utf8)) == ["the OpenAPI document is not valid JSON: Unexpected end of file during JSON parse."])
    }

    @Test func yamlIsToBeConvertedFirst() throws {
        let problem = try #require(problems(Array("openapi: 3.1.0\ninfo:\n  title: Notes\n".utf8)).first)
        #expect(problem.contains("YAML is not supported"))
        #expect(problem.contains("convert it to JSON first"))
    }

    @Test func emptyAndNonObjectDocuments() {
        #expect(problems(Array(" \n".utf8)) == ["the OpenAPI document is empty"])
        #expect(problems(Array("[1, 2]".utf8)) == ["the OpenAPI document is JSON but not an object: an OpenAPI document is a JSON object with an \"openapi\" member"])
    }

    @Test func swagger2IsRefused() throws {
        let problem = try #require(problems(Array(#"{"swagger": "2.0", "info": {}, "paths": {}}"#.utf8)).first)
        #expect(problem.hasPrefix("this is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are read"))
    }

    @Test func versionMustBeThree() {
        #expect(problems(Array(#"{"info": {}, "paths": {}}"#.utf8)) == ["the document has no \"openapi\" version: only OpenAPI 3.0 and 3.1 documents are read"])
        #expect(problems(Array(#"{"openapi": "4.0.0", "paths": {}}"#.utf8)) == ["OpenAPI version \"4.0.0\" is not supported: only 3.0 and 3.1 are (\"openapi\": \"3.1.0\")"])
        #expect(problems(Array(#"{"openapi": 3.1, "paths": {}}"#.utf8)) == ["OpenAPI version 3.1 is not supported: only 3.0 and 3.1 are (\"openapi\": \"3.1.0\")"])
    }

    @Test func errorDescriptionIsOneLinePerProblem() {
        let error = StarterError(problems: ["one", "two"])
        #expect(error.description == "one\ntwo")
    }
}
