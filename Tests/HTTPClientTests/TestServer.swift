import Foundation
import HTTPClient

/// A throwaway HTTP server on 127.0.0.1 (Python's http.server in a child process) with a
/// few canned routes. Each test starts its own and `withTestServer` always stops it.
final class TestServer {
    let port: Int
    private let process: Process
    private let stdin: Pipe

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Routes:
    ///   /echo              JSON {method, path, headers (lowercased names), body}
    ///   /status/NNN        replies NNN with body "status NNN"
    ///   /redirect          302 with Location: /echo
    ///   /multi             two X-Multi headers
    ///   /bytes/N           N bytes with Content-Length
    ///   /stream/N          N bytes, no Content-Length (ends at connection close)
    ///   /sleep/S           waits S seconds, then replies 200
    private static let script = #"""
import json, os, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=(), length=True):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("/")
        route = parts[1] if len(parts) > 1 else ""
        arg = parts[2] if len(parts) > 2 else ""
        if route == "echo":
            payload = {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("latin-1"),
            }
            self.reply(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])
        elif route == "status":
            self.reply(int(arg), ("status " + arg).encode())
        elif route == "redirect":
            self.reply(302, b"moved", [("Location", "/echo")])
        elif route == "multi":
            self.reply(200, b"ok", [("X-Multi", "a"), ("X-Multi", "b")])
        elif route == "bytes":
            self.reply(200, b"x" * int(arg))
        elif route == "stream":
            self.reply(200, b"x" * int(arg), length=False)
        elif route == "sleep":
            time.sleep(float(arg))
            self.reply(200, b"slept")
        else:
            self.reply(404, b"no such route")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any

class Server(ThreadingHTTPServer):
    request_queue_size = 128
    daemon_threads = True

def exit_when_parent_goes():
    # stdin is a pipe from the test process: EOF means it stopped us or died.
    sys.stdin.buffer.read()
    os._exit(0)

threading.Thread(target=exit_when_parent_goes, daemon=True).start()
server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    private init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        // Aborted transfers make http.server print broken-pipe tracebacks; not our concern.
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.stdin = stdin

        var output = Data()
        while !output.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // EOF: the server died before announcing its port.
            output.append(chunk)
        }
        let line = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(line) else {
            Self.stop(process, stdin)
            throw TestServerError.didNotStart(line)
        }
        self.port = port
    }

    private func stop() {
        Self.stop(process, stdin)
    }

    /// SIGKILL, not `terminate()`: the child inherits the spawning thread's signal mask,
    /// which under the test runner can block SIGTERM. Closing stdin backs this up for any
    /// process the launcher (e.g. a pyenv shim) put in between.
    private static func stop(_ process: Process, _ stdin: Pipe) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    static func run<T>(_ body: (TestServer) throws -> T) throws -> T {
        let server = try TestServer()
        defer { server.stop() }
        return try body(server)
    }
}

enum TestServerError: Error {
    case didNotStart(String)
}

func withTestServer<T>(_ body: (TestServer) throws -> T) throws -> T {
    try TestServer.run(body)
}

/// Runs `send` and returns the typed error it threw, or nil if it succeeded.
func sendError(_ client: some HTTPFetching, _ request: HTTPClientRequest) -> HTTPClientError? {
    do {
        _ = try client.send(request)
        return nil
    } catch {
        return error
    }
}
