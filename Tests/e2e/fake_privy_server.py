"""A stand-in for Privy in browser tests: serves the fake SDK module and mints real Privy-format
access tokens.

- `GET /fake-privy.mjs` serves `web/test-support/fake-privy.mjs` as an ES module with
  `Access-Control-Allow-Origin: *` (the sign-in page imports it cross-origin).
- `POST /fake-privy/token` `{"email"}` answers `{"token", "user_id"}`: an ES256 JWT with header
  `{alg: ES256, typ: JWT, kid: "test-key"}` and the claims Privy puts in its access tokens
  (iss "privy.io", aud the app id, sub "did:privy:<stable id from the email>", sid, iat, exp +1 h),
  signed with a P-256 key generated at start. CORS headers and an OPTIONS preflight are answered.
  With `sdk_email = False` the answer also carries `"email": null`, and the fake module's user then
  has no email, as after a Google or wallet login.
- `GET /v1/users/{id}` stands in for Privy's user API (https://api.privy.io): it requires
  `Authorization: Basic base64(app id ":" app secret)` (RFC 7617 §2) and `privy-app-id: <app id>`
  (401 otherwise) and answers the record of a user it minted a token for, the email as a
  `google_oauth` linked account (404 for others). Every call is recorded in `user_lookups`.

`app_env()` is what FCGIApp needs to trust these tokens and look users up: PRIVY_APP_ID,
PRIVY_VERIFICATION_KEY (base64 of the public key PEM), PRIVY_SDK_URL, PRIVY_APP_SECRET and
PRIVY_API_URL. The page finds the token URL through `window.FAKE_PRIVY_TOKEN_URL` (see
`init_script()`).

Failure modes for tests: `sign_with_wrong_key = True` signs with a second key the server does not
know; `fail_status = 500` makes the token endpoint answer that status; `users_fail_status = 500`
makes the user API answer that status and `users_delay = 5` makes it answer that many seconds late;
`module_throws = 1` answers that many of the next `GET /fake-privy.mjs` requests (any query) with a
module that throws while it is evaluated. `module_requests` counts the module's requests and
`module_paths` records each one's path and query.

Binds to 127.0.0.1 on a free port; `stop()` ends the server thread.
"""
import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

PROJECT_DIR = Path(__file__).resolve().parents[2]
MODULE_PATH = PROJECT_DIR / "web/test-support/fake-privy.mjs"
TEST_APP_ID = "test-privy-app-id"
TEST_APP_SECRET = "test-privy-app-secret"
KEY_ID = "test-key"
THROWING_MODULE = b'throw new Error("fake Privy SDK failed to start");\n'


def user_id_for(email: str) -> str:
    """A stable Privy-like DID for an email (Privy's ids are 25 lower-case alphanumerics)."""
    digest = hashlib.sha256(email.strip().lower().encode()).digest()
    return "did:privy:" + base64.b32encode(digest).decode().lower()[:25]


class FakePrivyServer:
    def __init__(self, app_id: str = TEST_APP_ID, module_path: Path = MODULE_PATH, app_secret: str = TEST_APP_SECRET):
        self.app_id = app_id
        self.app_secret = app_secret
        self.module_path = module_path
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.wrong_key = ec.generate_private_key(ec.SECP256R1())
        self.sign_with_wrong_key = False
        self.fail_status = None
        self.sdk_email = True
        self.users_fail_status = None
        self.users_delay = 0
        self.issued = []  # (email, user id) per minted token, for assertions
        self.user_lookups = []  # (user id, whether the credentials were right) per user API call
        self.module_requests = 0
        self.module_paths = []
        self.module_throws = 0
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # Keys and tokens

    @property
    def public_key_pem(self) -> str:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def mint(self, email: str, key=None, lifetime: int = 3600) -> tuple:
        now = int(time.time())
        user_id = user_id_for(email)
        claims = {"iss": "privy.io", "aud": self.app_id, "sub": user_id, "sid": secrets.token_hex(16),
                  "iat": now, "exp": now + lifetime}
        token = jwt.encode(claims, key or self.private_key, algorithm="ES256",
                           headers={"typ": "JWT", "kid": KEY_ID})
        return token, user_id

    # Addresses and settings

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def sdk_url(self) -> str:
        return self.base_url + "/fake-privy.mjs"

    @property
    def token_url(self) -> str:
        return self.base_url + "/fake-privy/token"

    def app_env(self) -> dict:
        return {"PRIVY_APP_ID": self.app_id,
                "PRIVY_VERIFICATION_KEY": base64.b64encode(self.public_key_pem.encode()).decode(),
                "PRIVY_SDK_URL": self.sdk_url,
                "PRIVY_APP_SECRET": self.app_secret,
                "PRIVY_API_URL": self.base_url}

    def init_script(self) -> str:
        """For Playwright's add_init_script: tells the fake module where to get its token."""
        return f"window.FAKE_PRIVY_TOKEN_URL = {json.dumps(self.token_url)};"

    def reset(self):
        with self._lock:
            self.sign_with_wrong_key = False
            self.fail_status = None
            self.sdk_email = True
            self.users_fail_status = None
            self.users_delay = 0
            self.user_lookups = []
            self.module_throws = 0
            self.module_paths = []

    def user_record(self, user_id: str):
        """Privy's user object (GET /v1/users/{id}) for a user this server minted a token for."""
        with self._lock:
            emails = [email for email, issued_id in self.issued if issued_id == user_id]
        if not emails:
            return None
        return {"id": user_id, "created_at": 1700000000, "has_accepted_terms": True, "is_guest": False,
                "mfa_methods": [],
                "linked_accounts": [{"type": "google_oauth", "subject": "1" + user_id[-8:], "email": emails[-1],
                                     "name": "Test User", "verified_at": 1700000000}]}

    def _authorized(self, headers) -> bool:
        basic = base64.b64encode(f"{self.app_id}:{self.app_secret}".encode()).decode()
        return headers.get("Authorization") == "Basic " + basic and headers.get("privy-app-id") == self.app_id

    # Life cycle

    def start(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_):
                pass

            def send(self, status, body: bytes, content_type: str, extra=()):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "no-store")
                for name, value in extra:
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def send_json(self, status, value):
                self.send(status, json.dumps(value).encode(), "application/json")

            def do_OPTIONS(self):
                self.send(204, b"", "text/plain", [
                    ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                    ("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers") or "content-type"),
                    ("Access-Control-Max-Age", "600")])

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                if path == "/fake-privy.mjs":
                    with owner._lock:
                        owner.module_requests += 1
                        owner.module_paths.append(self.path)
                        throws = owner.module_throws > 0
                        if throws:
                            owner.module_throws -= 1
                    body = THROWING_MODULE if throws else owner.module_path.read_bytes()
                    self.send(200, body, "application/javascript; charset=utf-8")
                elif path.startswith("/v1/users/"):
                    self.user(unquote(path[len("/v1/users/"):]))
                else:
                    self.send_json(404, {"error": "not_found"})

            do_HEAD = do_GET

            def user(self, user_id):
                authorized = owner._authorized(self.headers)
                with owner._lock:
                    owner.user_lookups.append((user_id, authorized))
                    fail_status, delay = owner.users_fail_status, owner.users_delay
                if delay:
                    time.sleep(delay)
                try:
                    self.answer_user(user_id, authorized, fail_status)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller gave up waiting (its time bound), as a slow Privy would see

            def answer_user(self, user_id, authorized, fail_status):
                if not authorized:
                    self.send_json(401, {"error": "Invalid app ID or app secret."})
                elif fail_status:
                    self.send_json(fail_status, {"error": "fake_failure"})
                elif (record := owner.user_record(user_id)) is None:
                    self.send_json(404, {"error": "User not found"})
                else:
                    self.send_json(200, record)

            def do_POST(self):
                if self.path.split("?", 1)[0] != "/fake-privy/token":
                    self.send_json(404, {"error": "not_found"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                    email = body["email"]
                    assert isinstance(email, str) and "@" in email
                except Exception:
                    self.send_json(400, {"error": "invalid_request", "error_description": "email required"})
                    return
                with owner._lock:
                    fail_status, wrong = owner.fail_status, owner.sign_with_wrong_key
                if fail_status:
                    self.send_json(fail_status, {"error": "fake_failure"})
                    return
                token, user_id = owner.mint(email, key=owner.wrong_key if wrong else None)
                with owner._lock:
                    owner.issued.append((email, user_id))
                    sdk_email = owner.sdk_email
                answer = {"token": token, "user_id": user_id}
                if not sdk_email:
                    answer["email"] = None
                self.send_json(200, answer)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-privy", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(10)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()


if __name__ == "__main__":  # manual use: python fake_privy_server.py, then start FCGIApp with the env
    with FakePrivyServer() as server:
        for name, value in server.app_env().items():
            print(f"{name}={value}")
        print("token URL:", server.token_url)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
