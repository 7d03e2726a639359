"""A stand-in for the user's items API (BACKEND_API_URL), for the Swift tests and the e2e suite.

Contract served (the one the Swift Backend client speaks):
  GET  /items                      -> {"items": [{"id", "title", "status", ...}]}
  POST /items/{id}/actions         {"action": "complete"|"reopen"|"delete"} -> {"item": {...}}; 404 if unknown
Every call needs `Authorization: Bearer <token>`; each token has its own list.

Test controls (not part of the contract):
  POST /_control  {"mode": "ok"|"unauthorized"|"forbidden"|"error"|"garbage"|"slow"|"huge"|"redirect", "delay": seconds}
  GET  /_requests -> every contract request seen: [{"method", "path", "authorization", "body"}]
  POST /_reset    -> items, requests and mode back to the start

Usage: python3 fake_backend.py [--port N]; prints the port on the first stdout line, and exits
when its stdin closes (so a test that dies cannot leave it running).
"""
import argparse
import copy
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEED = [
    {"id": "a/1", "title": "Write the report", "status": "open", "priority": 2},
    {"id": "b 2", "title": "Call the bank", "status": "done"},
    {"id": "c.3", "title": "Plan the trip", "status": "open"},
]


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.items = {}  # token -> list of items
        self.requests = []
        self.mode = "ok"
        self.delay = 0.0

    def items_for(self, token):
        return self.items.setdefault(token, copy.deepcopy(SEED))


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload=None, raw=None, headers=()):
        body = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else b"")
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        if self.path == "/_requests":
            with STATE.lock:
                return self.reply(200, STATE.requests)
        self.contract("GET", b"")

    def do_POST(self):
        body = self.read_body()
        if self.path == "/_control":
            settings = json.loads(body or b"{}")
            with STATE.lock:
                STATE.mode = settings.get("mode", "ok")
                STATE.delay = float(settings.get("delay", 0))
            return self.reply(200, {"mode": STATE.mode})
        if self.path == "/_reset":
            with STATE.lock:
                STATE.reset()
            return self.reply(200, {"reset": True})
        self.contract("POST", body)

    def contract(self, method, body):
        authorization = self.headers.get("Authorization")
        with STATE.lock:
            STATE.requests.append({"method": method, "path": self.path, "authorization": authorization,
                                   "body": body.decode("utf-8", "replace")})
            mode, delay = STATE.mode, STATE.delay
        if mode == "slow":
            time.sleep(delay or 5)
        elif mode == "unauthorized":
            return self.reply(401, {"error": "token expired"})
        elif mode == "forbidden":
            return self.reply(403, {"error": "forbidden"})
        elif mode == "error":
            return self.reply(500, {"error": "boom"})
        elif mode == "garbage":
            return self.reply(200, raw=b"<html>not json</html>")
        elif mode == "huge":
            return self.reply(200, raw=b"[" + b" " * (2 * 1024 * 1024) + b"]")
        elif mode == "redirect":
            return self.reply(302, raw=b"", headers=[("Location", "http://127.0.0.1:9/items")])
        if not authorization or not authorization.startswith("Bearer "):
            return self.reply(401, {"error": "missing token"})
        token = authorization[len("Bearer "):]
        parts = self.path.split("/")
        if method == "GET" and self.path == "/items":
            with STATE.lock:
                return self.reply(200, {"items": STATE.items_for(token)})
        if method == "POST" and len(parts) == 4 and parts[1] == "items" and parts[3] == "actions":
            item_id = urllib.parse.unquote(parts[2])
            try:
                action = json.loads(body)["action"]
            except (ValueError, KeyError, TypeError):
                return self.reply(400, {"error": "bad body"})
            with STATE.lock:
                items = STATE.items_for(token)
                match = next((item for item in items if item["id"] == item_id), None)
                if match is None:
                    return self.reply(404, {"error": "no such item"})
                if action == "complete":
                    match["status"] = "done"
                elif action == "reopen":
                    match["status"] = "open"
                elif action == "delete":
                    items.remove(match)
                else:
                    return self.reply(400, {"error": "unknown action"})
                return self.reply(200, {"item": match})
        self.reply(404, {"error": "no such route"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
