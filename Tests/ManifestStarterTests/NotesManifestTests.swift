import Foundation
import ManifestStarter
import Testing

/// The whole output for the notes API, byte for byte, against the committed expected file.
@Suite struct NotesManifestTests {
    static let includes = ["GET /notes", "POST /notes"]

    @Test func matchesTheExpectedFile() throws {
        let result = try OpenAPIStarter.manifest(openAPI: Fixture.bytes("notes-openapi.json"), includes: Self.includes)
        let expected = try Fixture.text("notes-manifest.expected.json")
        if result.text != expected {
            let actual = FileManager.default.temporaryDirectory.appendingPathComponent("notes-manifest.actual.json")
            try Data(result.text.utf8).write(to: actual)
            Issue.record("the manifest differs from Fixtures/notes-manifest.expected.json; diff it with \(actual.path)")
        }
    }

    /// In the order met: parameters, then the schemas, properties in key order. The Note
    /// schema is read for both tools but warned about once.
    @Test func warnsAboutWhatDidNotFit() throws {
        let result = try OpenAPIStarter.manifest(openAPI: Fixture.bytes("notes-openapi.json"), includes: Self.includes)
        #expect(result.warnings == [
            "#/components/parameters/RequestId: skipped header parameter \"X-Request-Id\": a tool's arguments go in the path, query or body (a constant header can be set in call.headers)",
            "#/components/schemas/NotesList/properties/next/oneOf: dropped \"oneOf\": the manifest's argument check does not support it, so the alternatives are not checked",
            "#/components/schemas/Note/externalDocs: dropped \"externalDocs\": the manifest's argument check does not support it",
            "#/components/schemas/Note/properties/parent/anyOf/0/$ref: $ref \"#/components/schemas/Note\" leads back to a schema that contains it (a cycle); replaced by {}",
        ])
    }

    @Test func sameInputSameBytes() throws {
        let bytes = try Fixture.bytes("notes-openapi.json")
        let first = try OpenAPIStarter.manifest(openAPI: bytes, includes: Self.includes)
        for _ in 0..<5 {
            #expect(try OpenAPIStarter.manifest(openAPI: bytes, includes: Self.includes) == first)
        }
    }

    @Test func allFourOperations() throws {
        let result = try OpenAPIStarter.manifest(openAPI: Fixture.bytes("notes-openapi.json"),
                                                 includes: ["get /notes/{id}", "DELETE /notes/{id}"])
        let show = try Fixture.tool(result, 0)
        let delete = try Fixture.tool(result, 1)
        #expect(show["name"] as? String == "get-note")
        #expect(show["description"] as? String == "Show a note")
        #expect((show["inputSchema"] as? [String: Any])?["required"] as? [String] == ["id"])
        #expect(delete["name"] as? String == "delete-notes-id")
        #expect(delete["scope"] as? String == "write")
        #expect(delete["outputSchema"] == nil)
        #expect((delete["annotations"] as? [String: Any])?["destructiveHint"] as? Bool == true)
        let scopes = try Fixture.parsed(result)["scopes"] as? [[String: String]]
        #expect(scopes == [["name": "read", "consent": "TODO: what users allow (read)"],
                           ["name": "write", "consent": "TODO: what users allow (write)"]])
    }
}
