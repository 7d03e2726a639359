import Crypto
import Foundation
import HTTPClient
import TestSupport

/// A local stand-in for Privy (Python's http.server on 127.0.0.1, port chosen by the OS):
/// serves a JWKS at /jwks.json and user records at /v1/users/<id>, counts hits per path,
/// and can be told to fail (500), send bad JSON, answer slowly or hang. Use
/// `withPrivyTestServer`, which always stops it.
final class PrivyTestServer {
    private let server: ChildProcessServer
    private let control = CurlHTTPClient()

    var port: Int { server.port }
    var baseURL: String { server.baseURL }
    var jwksURL: String { baseURL + "/jwks.json" }

    /// Control: POST /control with a JSON object merged into `config`:
    ///   jwks (object served as is), jwks_mode and users_mode ("ok", "fail", "badjson",
    ///   "slow" = 0.3 s delay, "hang" = never answers), users (id -> record),
    ///   auth (required Authorization value), app_id (required privy-app-id value).
    /// GET /control/hits answers {path: count} for every other request (raw path, no query).
    private static let script = #"""
import json, os, signal, sys, threading, time, urllib.parse
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

# Spawned from a libdispatch worker thread, this process inherits a mask blocking SIGTERM;
# unblock it so Process.terminate() works.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

def exit_when_parent_goes():
    # stdin is a pipe from the test process: EOF means it stopped us or died.
    sys.stdin.buffer.read()
    os._exit(0)

threading.Thread(target=exit_when_parent_goes, daemon=True).start()

lock = threading.Lock()
config = {"jwks": {"keys": []}, "jwks_mode": "ok", "users": {}, "users_mode": "ok", "auth": None, "app_id": None}
hits = {}

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def serve(self, mode, answer):
        if mode == "fail":
            return self.reply(500, b'{"error":"internal"}')
        if mode == "badjson":
            return self.reply(200, b"this is not json")
        if mode == "hang":
            time.sleep(60)
            return
        if mode == "slow":
            time.sleep(0.3)
        status, value = answer()
        self.reply(status, json.dumps(value).encode())

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/control/hits":
            with lock:
                body = json.dumps(hits).encode()
            return self.reply(200, body)
        with lock:
            hits[path] = hits.get(path, 0) + 1
            cfg = dict(config)
        if path == "/jwks.json":
            self.serve(cfg["jwks_mode"], lambda: (200, cfg["jwks"]))
        elif path.startswith("/v1/users/"):
            def user():
                if cfg["auth"] is not None and self.headers.get("Authorization") != cfg["auth"]:
                    return 401, {"error": "Invalid app ID or app secret."}
                if cfg["app_id"] is not None and self.headers.get("privy-app-id") != cfg["app_id"]:
                    return 401, {"error": "Missing privy-app-id."}
                record = cfg["users"].get(urllib.parse.unquote(path[len("/v1/users/"):]))
                return (200, record) if record is not None else (404, {"error": "User not found"})
            self.serve(cfg["users_mode"], user)
        else:
            self.reply(404, b"{}")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b"{}"
        if self.path == "/control":
            with lock:
                config.update(json.loads(body))
            return self.reply(200, b"{}")
        self.reply(404, b"{}")

class Server(ThreadingHTTPServer):
    daemon_threads = True

server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init() throws {
        server = try ChildProcessServer(.inline(Self.script))
    }

    /// Idempotent; afterwards the port refuses connections.
    func stop() {
        server.stop()
    }

    func configure(_ settings: JSONObject) throws {
        let body = try JSONSerialization.data(withJSONObject: settings)
        let response = try control.send(HTTPClientRequest(method: "POST", url: baseURL + "/control", body: Array(body)))
        guard response.status == 200 else { throw PrivyTestServerError.controlFailed(response.status) }
    }

    /// Serves these keys as the JWKS.
    func serveKeys(_ tokens: [PrivyTestTokens]) throws {
        try configure(["jwks": ["keys": tokens.map(\.jwk)], "jwks_mode": "ok"])
    }

    func hits(_ path: String) throws -> Int {
        let response = try control.send(HTTPClientRequest(url: baseURL + "/control/hits"))
        let counts = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Int]
        return counts?[path] ?? 0
    }

    func jwksHits() throws -> Int {
        try hits("/jwks.json")
    }
}

enum PrivyTestServerError: Error {
    case controlFailed(Int)
}

func withPrivyTestServer<T>(_ body: (PrivyTestServer) throws -> T) throws -> T {
    let server = try PrivyTestServer()
    defer { server.stop() }
    return try body(server)
}
