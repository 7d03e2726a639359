"""A stand-in for the notes API that examples/notes/app.json calls (BACKEND_API_URL), for running
that example and for the suites that test manifest tools against an API other than the items one.

Contract served (examples/notes/openapi.json describes it):
  GET    /notes?q=&limit=   -> 200 {"notes": [note, ...], "total": N}
                               q (optional) matches title or body, ignoring case; total counts every
                               match, notes holds the first `limit` of them (1..50, default 20);
                               400 {"error": ...} for a limit that is not an integer in 1..50
  POST   /notes             {"title", "body"?, "tags"?} -> 201 {"note": note}
                               400 when the body is not a JSON object; 422 {"error": ...} when title
                               is missing, not a string, blank or over 200 characters, body is not a
                               string or over 10,000 characters, or tags is not a list of at most 10
                               strings; 409 {"error": ...} when a note with the same title exists
  GET    /notes/{id}        -> 200 {"note": note}, or 404 {"error": "not found"}
  DELETE /notes/{id}        -> 204 (no body), or 404 {"error": "not found"}
  note = {"id": "n1", "title", "body", "tags": [...], "updatedAt": "2026-01-05T09:30:00Z"}
The {id} segment is percent-decoded exactly once: /notes/a%2Fb names the note "a/b", and
/notes/..%2Fadmin the note "../admin" (a 404), never another route. Any other path is 404
{"error": "no such route"}; another method on a known path is 405.

Every call needs `Authorization: Bearer <token>` (401 otherwise) and `X-Notes-Api-Key` equal to
the NOTES_API_KEY this process was started with (403 otherwise). Each token has its own notes,
seeded with three (n1, n2, n3).

Test controls (not part of the contract):
  POST /_control  {"status": 409, "times": 1}  every contract call answers that status with
                  {"error": "forced"} (`times` limits it to the next n calls; {"status": null} ends it)
                  {"slow": seconds}             every contract call waits that long first (0 ends it)
  GET  /_requests -> every contract request seen: [{"method", "path" (raw, still percent-encoded),
                     "query" ({name: [values]}), "rawQuery", "authorization", "headers" ({lower-case
                     name: value}, x-notes-api-key among them), "body" (text)}]
  POST /_reset    -> notes, requests and controls back to the start

Usage: NOTES_API_KEY=... python3 fake_notes_api.py [--port N]; prints the port on the first stdout
line, and exits when its stdin closes (so a test that dies cannot leave it running).
"""
import argparse
import copy
import hmac
import json
import os
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEED = [
    {"id": "n1", "title": "Groceries", "body": "Milk, eggs, coffee beans and a loaf of rye.",
     "tags": ["home"], "updatedAt": "2026-01-05T09:30:00Z"},
    {"id": "n2", "title": "Trip to Lisbon", "body": "Book the train to Sintra; try the custard tarts in Belém.",
     "tags": ["travel", "ideas"], "updatedAt": "2026-01-12T18:04:00Z"},
    {"id": "n3", "title": "Quarterly report", "body": "Draft the summary and send it to Dana by Friday.",
     "tags": ["work"], "updatedAt": "2026-02-02T08:15:00Z"},
]

MAX_TITLE = 200
MAX_BODY = 10_000
MAX_TAGS = 10
MAX_LIMIT = 50
DEFAULT_LIMIT = 20

# The key every call must present; read once at start, as the real API would hold its own.
API_KEY = os.environ.get("NOTES_API_KEY", "")


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.notes = {}  # token -> list of notes, oldest first
        self.next_number = {}  # token -> the number of its next note id
        self.requests = []
        self.forced_status = None
        self.forced_times = None  # None: until cleared
        self.slow = 0.0

    def notes_for(self, token):
        if token not in self.notes:
            self.notes[token] = copy.deepcopy(SEED)
            self.next_number[token] = len(SEED) + 1
        return self.notes[token]

    def new_id(self, token):
        number = self.next_number[token]
        self.next_number[token] = number + 1
        return f"n{number}"

    def take_forced_status(self):
        """The status to answer instead of the contract, counting down a limited `times`."""
        if self.forced_status is None:
            return None
        status = self.forced_status
        if self.forced_times is not None:
            self.forced_times -= 1
            if self.forced_times <= 0:
                self.forced_status, self.forced_times = None, None
        return status


STATE = State()


class Refusal(Exception):
    """A contract error answer: its status and the message in {"error": ...}."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def now_timestamp():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_limit(values):
    if not values:
        return DEFAULT_LIMIT
    text = values[-1]
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise Refusal(400, f"limit must be an integer from 1 to {MAX_LIMIT}")
    return int(text)


def parse_new_note(body):
    """The fields of a POST /notes body, or a Refusal with the status the contract names."""
    try:
        fields = json.loads(body or b"null")
    except ValueError:
        raise Refusal(400, "the body is not JSON") from None
    if not isinstance(fields, dict):
        raise Refusal(400, "the body must be a JSON object")
    title = fields.get("title")
    if not isinstance(title, str) or not title.strip():
        raise Refusal(422, "title is required")
    if len(title) > MAX_TITLE:
        raise Refusal(422, f"title is longer than {MAX_TITLE} characters")
    text = fields.get("body", "")
    if not isinstance(text, str) or len(text) > MAX_BODY:
        raise Refusal(422, f"body must be a string of at most {MAX_BODY} characters")
    tags = fields.get("tags", [])
    if not isinstance(tags, list) or len(tags) > MAX_TAGS or not all(isinstance(tag, str) for tag in tags):
        raise Refusal(422, f"tags must be a list of at most {MAX_TAGS} strings")
    return title, text, tags


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload=None):
        body = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
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
        self.contract("GET", self.read_body())

    def do_POST(self):
        body = self.read_body()
        if self.path == "/_control":
            return self.control(json.loads(body or b"{}"))
        if self.path == "/_reset":
            with STATE.lock:
                STATE.reset()
            return self.reply(200, {"reset": True})
        self.contract("POST", body)

    def do_PUT(self):
        self.contract("PUT", self.read_body())

    def do_PATCH(self):
        self.contract("PATCH", self.read_body())

    def do_DELETE(self):
        self.contract("DELETE", self.read_body())

    def control(self, settings):
        with STATE.lock:
            if "status" in settings:
                STATE.forced_status = settings["status"]
                STATE.forced_times = settings.get("times")
            if "slow" in settings:
                STATE.slow = float(settings["slow"] or 0)
            return self.reply(200, {"status": STATE.forced_status, "times": STATE.forced_times, "slow": STATE.slow})

    def contract(self, method, body):
        raw_path, _, raw_query = self.path.partition("?")
        authorization = self.headers.get("Authorization")
        with STATE.lock:
            STATE.requests.append({
                "method": method, "path": raw_path,
                "query": urllib.parse.parse_qs(raw_query, keep_blank_values=True), "rawQuery": raw_query,
                "authorization": authorization,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            })
            forced, slow = STATE.take_forced_status(), STATE.slow
        if slow:
            time.sleep(slow)
        if forced is not None:
            return self.reply(int(forced), {"error": "forced"})
        if not authorization or not authorization.startswith("Bearer ") or not authorization[len("Bearer "):]:
            return self.reply(401, {"error": "missing token"})
        presented_key = self.headers.get("X-Notes-Api-Key") or ""
        if not hmac.compare_digest(presented_key.encode(), API_KEY.encode()):
            return self.reply(403, {"error": "wrong or missing X-Notes-Api-Key"})
        token = authorization[len("Bearer "):]
        try:
            status, payload = self.route(method, raw_path, raw_query, body, token)
        except Refusal as refusal:
            status, payload = refusal.status, {"error": refusal.message}
        self.reply(status, payload)

    def route(self, method, raw_path, raw_query, body, token):
        """Routes on the raw path's segments, so a percent-encoded slash inside an id stays in it."""
        segments = raw_path.split("/")
        if segments == ["", "notes"]:
            if method == "GET":
                return self.search(token, urllib.parse.parse_qs(raw_query, keep_blank_values=True))
            if method == "POST":
                return self.create(token, body)
            raise Refusal(405, "method not allowed")
        if len(segments) == 3 and segments[1] == "notes" and segments[2]:
            note_id = urllib.parse.unquote(segments[2])
            if method == "GET":
                return self.show(token, note_id)
            if method == "DELETE":
                return self.delete(token, note_id)
            raise Refusal(405, "method not allowed")
        raise Refusal(404, "no such route")

    def search(self, token, query):
        limit = parse_limit(query.get("limit"))
        needle = (query.get("q") or [""])[-1].casefold()
        with STATE.lock:
            matches = [note for note in STATE.notes_for(token)
                       if needle in note["title"].casefold() or needle in note["body"].casefold()]
            return 200, {"notes": copy.deepcopy(matches[:limit]), "total": len(matches)}

    def create(self, token, body):
        title, text, tags = parse_new_note(body)
        with STATE.lock:
            notes = STATE.notes_for(token)
            if any(note["title"] == title for note in notes):
                raise Refusal(409, "a note with this title exists")
            note = {"id": STATE.new_id(token), "title": title, "body": text, "tags": tags, "updatedAt": now_timestamp()}
            notes.append(note)
            return 201, {"note": copy.deepcopy(note)}

    def show(self, token, note_id):
        with STATE.lock:
            note = next((note for note in STATE.notes_for(token) if note["id"] == note_id), None)
            if note is None:
                raise Refusal(404, "not found")
            return 200, {"note": copy.deepcopy(note)}

    def delete(self, token, note_id):
        with STATE.lock:
            notes = STATE.notes_for(token)
            note = next((note for note in notes if note["id"] == note_id), None)
            if note is None:
                raise Refusal(404, "not found")
            notes.remove(note)
            return 204, None


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
    if not API_KEY:
        parser.error("set NOTES_API_KEY: every call must present it in X-Notes-Api-Key")
    server = Server(("127.0.0.1", args.port), Handler)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
