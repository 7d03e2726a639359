import AppManifest
import Foundation
import MCP
import Testing

@Suite struct ValidManifestTests {
    private static func load() throws -> AppManifest {
        switch ManifestLoader.load(path: Fixtures.validManifest, context: Fixtures.context) {
        case .success(let manifest): return manifest
        case .failure(let problems): throw problems
        }
    }

    @Test func serverScopesAndWidgets() throws {
        let manifest = try Self.load()
        #expect(manifest.server == ServerDeclaration(name: "notes", title: "Notes", version: "1.0.0",
                                                     instructions: "Use search-notes to find notes, show-note to open one.",
                                                     icons: [IconDeclaration(src: "https://notes.example.com/icon.png", mimeType: "image/png",
                                                                             sizes: ["48x48"])]))
        #expect(manifest.scopes.map(\.name) == ["notes.read", "notes.write"])
        #expect(manifest.consent(for: "notes.write") == "Create and change notes for you")
        #expect(manifest.widgets == [
            WidgetDeclaration(id: "note-list", script: "note-list.js", style: "note-list.css", title: "Notes", description: "A list of notes.",
                              connectDomains: ["https://api.notes.example.com"], resourceDomains: ["https://cdn.notes.example.com"],
                              prefersBorder: true, domain: nil),
            WidgetDeclaration(id: "note-view", script: "note-view.js", style: nil, title: "Note", description: "One note with its tags.",
                              connectDomains: [], resourceDomains: [], prefersBorder: false, domain: "https://widgets.notes.example.com"),
        ])
    }

    @Test func toolsWithTheirCalls() throws {
        let tools = try Self.load().tools
        #expect(tools.map(\.name) == ["search-notes", "show-note", "create-note", "rename-note", "delete-note"])

        let search = tools[0]
        #expect(search.annotations == ToolAnnotationsDeclaration(readOnlyHint: true, openWorldHint: false))
        #expect(search.widget == ToolWidgetDeclaration(id: "note-list", accessible: false, invoking: "Searching…", invoked: "Found notes"))
        #expect(search.call.query == ["q", "tags", "limit"])
        #expect(search.call.timeoutSeconds == 5)
        guard case .none = search.call.body else { Issue.record("GET has no body by default"); return }
        guard case .fields(let fields) = search.result.structuredContent else { Issue.record("fields expected"); return }
        #expect(fields.map(\.key) == ["notes", "total"])
        #expect(search.result.text?.render(arguments: ["q": "milk"], answer: ["items": [1, 2]]) == "2 notes for milk")
        #expect(throws: ArgumentViolation(field: "limit", problem: "must be at most 50")) {
            try search.argumentSchema.check(["q": "milk", "limit": 51])
        }

        let show = tools[1]
        #expect(show.visibility == .public)
        #expect(show.widget?.accessible == true)
        #expect(try show.call.path.render(["id": "../x"]) == "/notes/%2E%2E%2Fx")
        #expect(show.result.errorTemplate(forStatus: 404)?.render(arguments: ["id": "9"], answer: nil) == "There is no note 9.")
        #expect(show.result.errorTemplate(forStatus: 502)?.render(arguments: [:], answer: nil) == "The notes service failed.")
        #expect(show.result.errorTemplate(forStatus: 400) == nil)

        let create = tools[2]
        #expect(create.call.headers.map(\.name) == ["X-Api-Key", "X-Client"])
        #expect(create.call.headers.map(\.value) == ["k", "notes-app"])
        guard case .template(let body) = create.call.body else { Issue.record("template expected"); return }
        #expect(body.render(["title": "T", "pinned": false]) == ["note": ["title": "T", "pinned": false], "source": "chatgpt"])
        #expect(create.result.errorTemplate(forStatus: 422)?.render(arguments: [:], answer: ["message": "bad"]) == "bad")

        let rename = tools[3]
        #expect(rename.visibility == .private)
        guard case .arguments = rename.call.body else { Issue.record("PATCH sends the arguments by default"); return }
        guard case .pointer(let whole) = rename.result.structuredContent else { Issue.record("pointer expected"); return }
        #expect(whole.text == "")
        #expect(rename.call.timeoutSeconds == nil)
        #expect(try rename.call.path.render(["id": 12]) == "/notes/12")

        guard case .arguments = tools[4].call.body else { Issue.record("explicit arguments body"); return }
    }

    @Test func zeroToolsWithCodeTools() throws {
        var context = Fixtures.context
        context.codeToolNames = ["health"]
        let text = #"{"server": {"name": "x"}, "scopes": [{"name": "s", "consent": "c"}], "tools": []}"#
        let manifest = try ManifestLoader.parse(Array(text.utf8), context: context).get()
        #expect(manifest.tools.isEmpty)
    }

    @Test func unreadableFile() {
        let path = Fixtures.manifestsDirectory.appendingPathComponent("missing.json").path
        guard case .failure(let problems) = ManifestLoader.load(path: path, context: Fixtures.context) else {
            Issue.record("a missing file loaded")
            return
        }
        #expect(problems.problems.count == 1)
        #expect(problems.problems[0].path == "")
        #expect(problems.description.hasPrefix("cannot read \(path): "))
    }
}

@Suite struct BrokenManifestTests {
    @Test func thereAreEnoughBrokenManifests() {
        #expect(Fixtures.brokenNames.count >= 14)
    }

    /// Each `<name>.json` gives exactly the lines of its `<name>.expected`, as `FCGIApp check` prints
    /// them when run from the repository root with `WIDGETS_DIR=Tests/manifests/valid/widgets`.
    @Test(arguments: Fixtures.brokenNames)
    func problems(name: String) throws {
        let manifest = Fixtures.brokenDirectory.appendingPathComponent("\(name).json").path
        let expectedFile = Fixtures.brokenDirectory.appendingPathComponent("\(name).expected")
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        var context = Fixtures.context
        context.codeToolNames = name == "names-and-duplicates" ? ["health"] : []
        guard case .failure(let problems) = ManifestLoader.load(path: manifest, context: context) else {
            Issue.record("\(name).json loaded without problems")
            return
        }
        let lines = problems.problems.map { $0.description.replacingOccurrences(of: Fixtures.widgetsDirectory, with: Fixtures.widgetsDirectoryAsRun) }
        #expect(lines == expected, "\(name):\n\(lines.joined(separator: "\n"))")
    }
}
