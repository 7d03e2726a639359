import Foundation
import HTTPClient

/// The user's items API stand-in, `Tests/e2e/fake_backend.py` (shared with the e2e suite), on
/// 127.0.0.1 in a child process. Each test starts its own; `withFakeBackend` always stops it.
final class FakeBackend {
    let port: Int
    private let process: Process
    private let stdin: Pipe
    private let client = CurlHTTPClient()

    var baseURL: String { "http://127.0.0.1:\(port)" }

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("e2e/fake_backend.py").path
    }

    private init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scriptPath]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice  // aborted transfers print tracebacks; not our concern
        try process.run()
        self.process = process
        self.stdin = stdin

        var output = Data()
        while !output.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
        }
        guard let port = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            Self.stop(process, stdin)
            throw FakeBackendError.didNotStart
        }
        self.port = port
    }

    /// Switches how the contract routes answer (see fake_backend.py).
    func set(mode: String, delay: Double = 0) throws {
        let body = Array(#"{"mode":"\#(mode)","delay":\#(delay)}"#.utf8)
        _ = try client.send(HTTPClientRequest(method: "POST", url: baseURL + "/_control", body: body))
    }

    /// Every contract request seen so far.
    func requests() throws -> [[String: String]] {
        let response = try client.send(HTTPClientRequest(url: baseURL + "/_requests"))
        let decoded = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return decoded.map { $0.compactMapValues { $0 as? String } }
    }

    /// SIGKILL plus closing stdin, as in HTTPClientTests' TestServer (a blocked SIGTERM would hang).
    private static func stop(_ process: Process, _ stdin: Pipe) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    static func run<T>(_ body: (FakeBackend) throws -> T) throws -> T {
        let backend = try FakeBackend()
        defer { stop(backend.process, backend.stdin) }
        return try body(backend)
    }
}

enum FakeBackendError: Error {
    case didNotStart
}

func withFakeBackend<T>(_ body: (FakeBackend) throws -> T) throws -> T {
    try FakeBackend.run(body)
}
