import AppManifest
import Foundation
import MCPEndpoint
import Testing

/// A widget's bundle must be built before the app starts: the manifest loader refuses a manifest
/// whose bundle is missing, naming the widget and the file (so the process does not start
/// serving a widget it cannot show). A bundle that disappears later is a clear `resources/read`
/// error naming the file, not a crash or an empty page.
@Suite struct WidgetBundleTests {
    private func load(widgetsDirectory: String) -> Result<AppManifest, ManifestProblems> {
        ManifestLoader.load(path: Harness.itemsManifestPath,
                            context: ManifestContext(environment: [:], widgetsDirectory: widgetsDirectory, maxTimeoutSeconds: 10))
    }

    @Test(arguments: [
        (name: "a folder without the bundle", directory: TestWidgets.directory(script: nil, style: nil)),
        (name: "a folder that does not exist", directory: "/nonexistent/widgets-dist"),
    ])
    func missingBundleIsAManifestProblem(name: String, directory: String) throws {
        guard case .failure(let refused) = load(widgetsDirectory: directory) else {
            Issue.record("\(name): the manifest was accepted without its widget bundle")
            return
        }
        let problem = try #require(refused.problems.first { $0.description.contains("list-view.js") }, "\(name): \(refused)")
        #expect(problem.path.hasPrefix("widgets[0]"), "\(name): \(problem)")
        // Only the widget is wrong.
        #expect(refused.problems.count == 1, "\(name): \(refused)")
    }

    @Test func builtBundleIsAccepted() throws {
        let directory = TestWidgets.directory(style: nil)
        guard case .success(let manifest) = load(widgetsDirectory: directory) else {
            Issue.record("the manifest was refused with its bundle built")
            return
        }
        #expect(manifest.widgets.map(\.script) == ["list-view.js"])
        // No style file beside it: none is inlined.
        #expect(manifest.widgets.first?.style == nil)
    }

    @Test func bundleRemovedAfterStartIsAClearReadError() async throws {
        let directory = TestWidgets.directory()
        let harness = Harness(widgetsDirectory: directory)
        try FileManager.default.removeItem(atPath: directory + "/list-view.js")
        let reply = await harness.rpc("resources/read", params: ["uri": "ui://widget/list-view.html"])
        #expect(reply["error"]["code"].int == -32603)
        let message = reply["error"]["message"].string ?? ""
        #expect(message.contains("the widget is not built: list-view.js is missing from WIDGETS_DIR"), "\(message)")
        // Still listed: the tools point at it, and it comes back once rebuilt.
        #expect(await harness.rpc("resources/list")["result"]["resources"].array?.count == 1)
        _ = FileManager.default.createFile(atPath: directory + "/list-view.js", contents: Data("console.log(2)".utf8))
        let rebuilt = await harness.rpc("resources/read", params: ["uri": "ui://widget/list-view.html"])
        #expect(rebuilt["result"]["contents"][0]["text"].string?.contains("console.log(2)") == true)
    }
}
