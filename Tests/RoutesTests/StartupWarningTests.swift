import Crypto
import Foundation
import TestSupport
import Testing

/// Start-up warnings and failures of the FCGIApp binary, read from its stderr: it serves one CGI
/// request (GET /health) from an empty folder and exits. The app manifest and the widgets are the
/// checkout's unless a test says otherwise. The binary is the one built beside this test bundle
/// (`swift build --build-tests` builds both), or `FCGIAPP_BINARY`.
@Suite struct StartupWarningTests {
    struct Run {
        let status: Int32
        let stdout: String
        /// Everything written to stderr: the log lines, and a start-up failure's plain message.
        let stderr: String
        /// One JSON object per log line.
        let logLines: [[String: Any]]

        func warnings() -> [String] {
            logLines.filter { $0["level"] as? String == "warning" }.compactMap { $0["msg"] as? String }
        }
    }

    static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["FCGIAPP_BINARY"] { return path }
        let folders = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                       Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        return folders.map { $0.appendingPathComponent("FCGIApp").path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the binary in plain CGI mode with only the checkout's manifest and widgets and
    /// `settings` (no inherited environment, no .env).
    private func run(_ settings: [String: String]) throws -> Run {
        let binary = try #require(Self.binary, "FCGIApp is not built beside the tests; run swift build --build-tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fcgiapp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "REQUEST_METHOD": "GET", "REQUEST_URI": "/health",
                               "SERVER_PROTOCOL": "HTTP/1.1"]
            .merging(TestApplication.checkoutPaths) { $1 }.merging(settings) { $1 }
        // Output goes to files, so nothing the child writes can block on a full pipe.
        let outputPath = folder.appendingPathComponent("stdout").path
        let errorPath = folder.appendingPathComponent("stderr").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let output = try #require(FileHandle(forWritingAtPath: outputPath))
        let errors = try #require(FileHandle(forWritingAtPath: errorPath))
        defer {
            try? output.close()
            try? errors.close()
        }
        process.standardInput = FileHandle.nullDevice  // not a socket: CGI mode
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let errorText = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        let lines = errorText.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        let outputText = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        return Run(status: process.terminationStatus, stdout: outputText, stderr: errorText, logLines: lines)
    }

    @Test func developmentLoginIsAnnouncedAtStart() throws {
        let run = try run([:])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"status\":\"ok\""))
        let warning = run.warnings().first { $0.contains("DEVELOPMENT login") }
        #expect(warning != nil, "warnings: \(run.warnings())")
        #expect(warning?.contains("PRIVY_APP_ID is not set") == true)
        #expect(warning?.contains("loopback only") == true)
    }

    /// The empty folder has no OAuth UI: the consent page is a placeholder, and the start says so.
    @Test func missingOAuthUIIsReportedAtStart() throws {
        let run = try run([:])
        #expect(run.status == 0)
        #expect(run.warnings().contains { $0.contains("the OAuth UI is not built") && $0.contains("public/index.html") }, "\(run.warnings())")
    }

    /// A widget bundle the manifest names must be built: without it the manifest is refused and
    /// the process does not start, naming the setting and the file (no request is served).
    @Test func missingWidgetBundleStopsTheStart() throws {
        let emptyWidgets = FileManager.default.temporaryDirectory.appendingPathComponent("widgets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: emptyWidgets, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: emptyWidgets) }
        let run = try run(["WIDGETS_DIR": emptyWidgets])
        #expect(run.status != 0)
        #expect(!run.stdout.contains("\"status\":\"ok\""))
        #expect(run.stderr.contains("APP_MANIFEST"), "\(run.stderr)")
        #expect(run.stderr.contains("list-view.js"), "\(run.stderr)")
    }

    /// Without `APP_MANIFEST` the items demo is read relative to the working directory; from a
    /// folder without it the start fails naming that path.
    @Test func manifestNotFoundStopsTheStart() throws {
        let run = try run(["APP_MANIFEST": ""])
        #expect(run.status != 0)
        #expect(run.stderr.contains("examples/items/app.json"), "\(run.stderr)")
    }

    @Test func privyAppHasNoDevelopmentLoginWarning() throws {
        let key = try P256PrivateKey.generate().publicKey.pem
        let run = try run(["PRIVY_APP_ID": "app-1", "PRIVY_VERIFICATION_KEY": key])
        #expect(run.status == 0)
        #expect(!run.warnings().contains { $0.localizedCaseInsensitiveContains("development login") })
    }
}
