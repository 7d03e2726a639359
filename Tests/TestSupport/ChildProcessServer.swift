import Foundation

/// A stand-in server in a child process (Python's http.server on 127.0.0.1, port chosen by the
/// OS), as the HTTP client, Privy and backend tests use: started from a script (inline text or a
/// file), its port read from the first line it prints, always stopped by `run`.
public final class ChildProcessServer {
    public let port: Int
    private let process: Process
    private let stdin = Pipe()

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public enum Script {
        /// Python source passed with `-c`.
        case inline(String)
        /// A Python file, e.g. `Tests/e2e/fake_backend.py`.
        case file(String)
    }

    public enum Failure: Error {
        case didNotStart(String)
    }

    public init(_ script: Script) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        switch script {
        case .inline(let source): process.arguments = ["python3", "-c", source]
        case .file(let path): process.arguments = ["python3", path]
        }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice  // aborted transfers print tracebacks; not our concern
        try process.run()
        self.process = process

        var output = Data()
        while !output.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // EOF: the server died before announcing its port.
            output.append(chunk)
        }
        let line = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(line) else {
            Self.stop(process, stdin)
            throw Failure.didNotStart(line)
        }
        self.port = port
    }

    /// Idempotent; afterwards the port refuses connections.
    public func stop() {
        Self.stop(process, stdin)
    }

    /// SIGKILL, not `terminate()`: the child inherits the spawning thread's signal mask, which
    /// under the test runner can block SIGTERM. Closing stdin (the scripts exit on its EOF) backs
    /// this up for any process a launcher (e.g. a pyenv shim) put in between.
    private static func stop(_ process: Process, _ stdin: Pipe) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Starts the server, runs `body` with it, and stops it whatever happens.
    public static func run<T>(_ script: Script, _ body: (ChildProcessServer) throws -> T) throws -> T {
        let server = try ChildProcessServer(script)
        defer { server.stop() }
        return try body(server)
    }
}
