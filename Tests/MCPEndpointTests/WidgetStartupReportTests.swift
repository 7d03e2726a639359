import Foundation
import MCPEndpoint
import Testing

/// "Missing bundles are reported at start": a catalog over a folder without the ListView bundle
/// says so once, naming the missing file; a folder with the bundle reports nothing.
@Suite struct WidgetStartupReportTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("widgets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func folderWithoutTheBundleIsReported() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var reports: [String] = []
        _ = WidgetCatalog(directory: folder) { reports.append($0) }
        #expect(reports.count == 1)
        let report = try #require(reports.first)
        #expect(report.contains("not built"))
        #expect(report.contains(folder + "/list-view.js is missing"))
        #expect(report.contains(WidgetCatalog.listViewURI))
    }

    @Test func folderThatDoesNotExistIsReported() {
        var reports: [String] = []
        _ = WidgetCatalog(directory: "/nonexistent/widgets-dist") { reports.append($0) }
        #expect(reports == ["the ListView widget is not built: /nonexistent/widgets-dist/list-view.js is missing; "
                            + "resources/read of \(WidgetCatalog.listViewURI) fails until it is"])
    }

    @Test func builtBundleIsNotReported() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("console.log(1)".utf8).write(to: URL(fileURLWithPath: folder + "/list-view.js"))
        var reports: [String] = []
        _ = WidgetCatalog(directory: folder) { reports.append($0) }
        #expect(reports.isEmpty)
    }
}
