@testable import ManifestStarter
import Testing

/// Tool and server names within docs/MANIFEST.md's characters, readable, and unique.
@Suite struct ToolNameTests {
    @Test(arguments: [
        ("listNotes", "list-notes"),
        ("get_note", "get-note"),
        ("GetNote", "get-note"),
        ("getHTTPStatus", "get-http-status"),
        ("getNoteByID", "get-note-by-id"),
        ("getV2Notes", "get-v2-notes"),
        ("notes.list", "notes-list"),
        ("delete  note--now_", "delete-note-now"),
        ("GET /notes/{id}", "get-notes-id"),
        ("über", "ber"),
        ("日本", ""),
    ])
    func kebabCase(_ text: String, _ expected: String) {
        #expect(ToolNames.kebabCase(text) == expected)
    }

    @Test func kebabCaseIsAtMostSixtyFourCharacters() {
        let name = ToolNames.kebabCase(String(repeating: "word", count: 20) + "Tail")
        #expect(name.count == 64)
        #expect(ToolNames.kebabCase(String(repeating: "ab", count: 32) + "Cd") == String(repeating: "ab", count: 32))
    }

    @Test func repeatedNamesGetNumbers() {
        var names = ToolNames()
        let key = OperationKey(method: "GET", path: "/notes")
        #expect(names.claim(operationId: "listNotes", key: key) == "list-notes")
        #expect(names.claim(operationId: "list_notes", key: key) == "list-notes-2")
        #expect(names.claim(operationId: "ListNotes", key: key) == "list-notes-3")
        #expect(names.claim(operationId: nil, key: key) == "get-notes")
        #expect(names.claim(operationId: "日本", key: key) == "get-notes-2")
    }

    @Test func operationsWithoutOperationIdAreNamedByMethodAndPath() throws {
        let document = Fixture.document(paths: """
            {"/notes/{id}/tags": {"get": {"operationId": "", "responses": {}}, "delete": {"responses": {}}}}
            """)
        let result = try OpenAPIStarter.manifest(openAPI: document, includes: ["GET /notes/{id}/tags", "DELETE /notes/{id}/tags"])
        #expect(try Fixture.tool(result, 0)["name"] as? String == "get-notes-id-tags")
        #expect(try Fixture.tool(result, 1)["name"] as? String == "delete-notes-id-tags")
    }

    @Test(arguments: [
        ("Notes API", "notes-api"),
        ("  ACME   Notes!  ", "acme-notes"),
        ("notes.v2_beta", "notes.v2_beta"),
        ("Café Notes", "caf-notes"),
        ("***", "my-app"),
        ("", "my-app"),
    ])
    func serverName(_ title: String, _ expected: String) {
        #expect(ServerName.from(title: title) == expected)
    }

    @Test func serverNameIsAtMostSixtyFourCharacters() {
        #expect(ServerName.from(title: String(repeating: "x", count: 70)).count == 64)
        #expect(ServerName.from(title: nil) == "my-app")
    }
}
