import Backend
import Foundation
import HTTPClient
import Storage
import TestSupport
import Testing

/// The transport to the user's API (`BACKEND_API_URL`) against stand-in APIs on 127.0.0.1: what
/// it sends, and that it hands back every status while refusing redirects, slow and huge answers.
@Suite struct HTTPAPITransportTests {
    static let alice = Caller(userID: "did:privy:alice", clientID: "client-1", scopes: ["read", "write"], grantID: "grant-1", jti: "jti-1",
                              resource: "https://app.example.com/mcp", privyAccessToken: "privy-token-alice")

    /// The trailing slash of the base URL is dropped, so targets (which start with "/") join cleanly.
    private func transport(_ baseURL: String, timeout: Double = 5, maxResponseBytes: Int = 1 << 20) -> HTTPAPITransport {
        HTTPAPITransport(baseURL: baseURL + "/", fetcher: CurlHTTPClient(), timeout: timeout, connectTimeout: 2,
                         maxResponseBytes: maxResponseBytes)
    }

    private func object(_ response: APIResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    @Test func listIsSentWithThePrivyTokenAndAnsweredAsItCame() throws {
        try withFakeBackend { fake in
            let response = try transport(fake.baseURL).send(APIRequest(method: "GET", target: "/items"), for: Self.alice)
            #expect(response.status == 200)
            let items = object(response)["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? String } == ["a/1", "b 2", "c.3"])
            #expect(items.first?["priority"] as? Int == 2)
            let seen = try fake.requests()
            #expect(seen.count == 1)
            #expect(seen.first?["method"] == "GET")
            #expect(seen.first?["path"] == "/items")
            #expect(seen.first?["authorization"] == "Bearer privy-token-alice")
        }
    }

    @Test func targetAndBodyAreSentAsGiven() throws {
        try withFakeBackend { fake in
            let request = APIRequest(method: "POST", target: "/items/a%2F1/actions", body: Array(#"{"action":"complete"}"#.utf8))
            let response = try transport(fake.baseURL).send(request, for: Self.alice)
            #expect(response.status == 200)
            #expect((object(response)["item"] as? [String: Any])?["status"] as? String == "done")
            let seen = try fake.requests()
            #expect(seen.first?["path"] == "/items/a%2F1/actions")
            #expect(seen.first?["body"] == #"{"action":"complete"}"#)
        }
    }

    /// A status is the tool's business (its error texts, the sign-in-again rule): the transport
    /// hands each back with its body, whatever it is.
    @Test(arguments: [
        (mode: "ok", target: "/items/nope/actions", status: 404),
        (mode: "unauthorized", target: "/items", status: 401),
        (mode: "forbidden", target: "/items", status: 403),
        (mode: "error", target: "/items", status: 500),
        (mode: "garbage", target: "/items", status: 200),
    ])
    func everyStatusIsHandedBack(mode: String, target: String, status: Int) throws {
        try withFakeBackend { fake in
            try fake.set(mode: mode)
            let request = target.hasSuffix("/actions")
                ? APIRequest(method: "POST", target: target, body: Array(#"{"action":"reopen"}"#.utf8))
                : APIRequest(method: "GET", target: target)
            let response = try transport(fake.baseURL).send(request, for: Self.alice)
            #expect(response.status == status)
            #expect(!response.body.isEmpty)
        }
    }

    /// Following a redirect could carry the user's token to another host.
    @Test func redirectIsRefused() throws {
        try withFakeBackend { fake in
            try fake.set(mode: "redirect")
            #expect(throws: APIError.badResponse("HTTP 302 (redirects are not followed)")) {
                try transport(fake.baseURL).send(APIRequest(method: "GET", target: "/items"), for: Self.alice)
            }
            // Only the one request: the redirect was not followed (its Location is elsewhere anyway).
            #expect(try fake.requests().count == 1)
        }
    }

    @Test func answerAboveTheCapIsRefusedNamingTheCap() throws {
        try withFakeBackend { fake in
            try fake.set(mode: "huge")
            #expect(throws: APIError.badResponse("the answer is larger than 4096 bytes")) {
                try transport(fake.baseURL, maxResponseBytes: 4096).send(APIRequest(method: "GET", target: "/items"), for: Self.alice)
            }
        }
    }

    /// The transport's own limit, and a call's shorter one; a call cannot ask for more than the
    /// transport allows (`timeoutSeconds` is at most `BACKEND_TIMEOUT_SECONDS`).
    @Test(arguments: [
        (name: "the transport's limit", transportTimeout: 1.0, callTimeout: nil as Double?, message: "no answer within 1 seconds"),
        (name: "a call's shorter limit", transportTimeout: 5.0, callTimeout: 1.0 as Double?, message: "no answer within 1 seconds"),
        (name: "a call cannot extend it", transportTimeout: 1.0, callTimeout: 30.0 as Double?, message: "no answer within 1 seconds"),
        (name: "fractions are kept", transportTimeout: 5.0, callTimeout: 1.5 as Double?, message: "no answer within 1.5 seconds"),
    ])
    func slowAPITimesOut(name: String, transportTimeout: Double, callTimeout: Double?, message: String) throws {
        try withFakeBackend { fake in
            try fake.set(mode: "slow", delay: 4)
            let start = Date()
            #expect(throws: APIError.unavailable(message), "\(name)") {
                try transport(fake.baseURL, timeout: transportTimeout)
                    .send(APIRequest(method: "GET", target: "/items", timeout: callTimeout), for: Self.alice)
            }
            #expect(Date().timeIntervalSince(start) < 3, "\(name)")
        }
    }

    @Test func closedPortIsUnavailable() {
        let transport = HTTPAPITransport(baseURL: "http://127.0.0.1:9", fetcher: CurlHTTPClient(), timeout: 2)
        #expect(throws: APIError.unavailable("cannot connect")) {
            try transport.send(APIRequest(method: "GET", target: "/items"), for: Self.alice)
        }
    }

    /// Every call says it wants JSON and carries the manifest's extra headers; `Content-Type`
    /// goes with a body only. (The items stand-in records only the token, so an echo server
    /// answers with the headers it received.)
    @Test(arguments: [
        (name: "a call without a body", body: nil as String?, contentType: nil as String?),
        (name: "a call with a body", body: #"{"a":1}"# as String?, contentType: "application/json" as String?),
    ])
    func headersOfEveryCall(name: String, body: String?, contentType: String?) throws {
        try ChildProcessServer.run(.inline(HeaderEcho.script)) { echo in
            let request = APIRequest(method: body == nil ? "GET" : "POST", target: "/notes?q=a%20b",
                                     headers: [(name: "X-Notes-Api-Key", value: "key-123")], body: body.map { Array($0.utf8) })
            let response = try transport(echo.baseURL).send(request, for: Self.alice)
            let echoed = object(response)
            let headers = echoed["headers"] as? [String: String] ?? [:]
            #expect(echoed["path"] as? String == "/notes?q=a%20b", "\(name)")
            #expect(echoed["method"] as? String == request.method, "\(name)")
            #expect(headers["authorization"] == "Bearer privy-token-alice", "\(name)")
            #expect(headers["accept"] == "application/json", "\(name)")
            #expect(headers["x-notes-api-key"] == "key-123", "\(name)")
            #expect(headers["content-type"] == contentType, "\(name)")
            #expect(echoed["body"] as? String == (body ?? ""), "\(name)")
        }
    }
}

/// Answers every request with `{"method", "path", "headers" (lowercased names), "body"}`.
enum HeaderEcho {
    static let script = #"""
import json, os, sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        payload = json.dumps({"method": self.command, "path": self.path,
                              "headers": {k.lower(): v for k, v in self.headers.items()},
                              "body": body.decode("utf-8", "replace")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}
