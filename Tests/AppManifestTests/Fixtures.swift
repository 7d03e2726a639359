import AppManifest
import Foundation

/// The manifest files under Tests/manifests, found from this file's place in the repository.
enum Fixtures {
    static let manifestsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("manifests")

    static let validManifest = manifestsDirectory.appendingPathComponent("valid/app.json").path
    static let widgetsDirectory = manifestsDirectory.appendingPathComponent("valid/widgets").path
    /// The widgets folder as `FCGIApp check` names it when run from the repository root.
    static let widgetsDirectoryAsRun = "Tests/manifests/valid/widgets"
    static let brokenDirectory = manifestsDirectory.appendingPathComponent("broken")

    /// The context every fixture is checked in (`FCGIApp check` is run the same way).
    static let context = ManifestContext(environment: ["NOTES_API_KEY": "k"], widgetsDirectory: widgetsDirectory, maxTimeoutSeconds: 10)

    /// The broken manifests' names, without ".json".
    static var brokenNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: brokenDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
