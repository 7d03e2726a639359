import Foundation
import HTTPClient
import TestSupport

/// A throwaway HTTP server on 127.0.0.1 with a few canned routes (a `ChildProcessServer`).
/// Each test starts its own and `withTestServer` always stops it.
enum TestServer {
    /// Routes:
    ///   /echo              JSON {method, path, headers (lowercased names), body}
    ///   /status/NNN        replies NNN with body "status NNN"
    ///   /redirect          302 with Location: /echo
    ///   /multi             two X-Multi headers
    ///   /bytes/N           N bytes with Content-Length
    ///   /stream/N          N bytes, no Content-Length (ends at connection close)
    ///   /sleep/S           waits S seconds, then replies 200
    static let script = #"""
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
}

func withTestServer<T>(_ body: (ChildProcessServer) throws -> T) throws -> T {
    try ChildProcessServer.run(.inline(TestServer.script), body)
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
