import Crypto
import Foundation
import Testing

/// Start-up warnings of the FCGIApp binary, read from its stderr: it serves one CGI request
/// (GET /health) from an empty folder and exits. The binary is the one built beside this test
/// bundle (`swift build --build-tests` builds both), or `FCGIAPP_BINARY`.
@Suite struct StartupWarningTests {
    struct Run {
        let status: Int32
        let stdout: String
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

    /// Runs the binary in plain CGI mode with only `settings` (no inherited environment, no .env).
    private func run(_ settings: [String: String]) throws -> Run {
        let binary = try #require(Self.binary, "FCGIApp is not built beside the tests; run swift build --build-tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fcgiapp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin", "REQUEST_METHOD": "GET", "REQUEST_URI": "/health",
                               "SERVER_PROTOCOL": "HTTP/1.1"].merging(settings) { $1 }
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
        return Run(status: process.terminationStatus, stdout: outputText, logLines: lines)
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

    /// The same empty folder has neither the OAuth UI nor the widget bundle: both are reported.
    @Test func missingBuildsAreReportedAtStart() throws {
        let warnings = try run([:]).warnings()
        #expect(warnings.contains { $0.contains("the OAuth UI is not built") && $0.contains("public/index.html") })
        #expect(warnings.contains { $0.contains("the ListView widget is not built") && $0.contains("widgets-dist/list-view.js") })
    }

    @Test func privyAppHasNoDevelopmentLoginWarning() throws {
        let key = try P256PrivateKey.generate().publicKey.pem
        let run = try run(["PRIVY_APP_ID": "app-1", "PRIVY_VERIFICATION_KEY": key])
        #expect(run.status == 0)
        #expect(!run.warnings().contains { $0.localizedCaseInsensitiveContains("development login") })
    }
}
