"""`FCGIApp import-original`: switching from the original system without logging anyone out.

The original's tables are built exactly as its README creates them, in a database of their own,
with clients and refresh tokens (live, expired, revoked, of an unknown client, with no scope this
app grants). The import copies clients and live tokens into this app's PostgreSQL store; the
imported refresh token then works at /token, its access token at /mcp (the user's API receives
the Privy token the original held), expired and revoked ones are refused, the original's
database is left exactly as it was, and a second run imports nothing.
"""
import base64
import hashlib
import secrets
import subprocess
import time

import jwt
import pytest
import requests

import oauth_flow as flow
from pg_cluster import server_binaries_available
from stack import BINARY, REFRESH_REUSE_INTERVAL, Stack, app_environment, operator_keys

pytestmark = pytest.mark.skipif(not server_binaries_available(),
                                reason="PostgreSQL server binaries are not installed (make deps installs postgresql)")

CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}

# The original system's schema, as its README creates it.
ORIGINAL_SCHEMA = """
CREATE TABLE oauth_clients (
  id TEXT PRIMARY KEY,
  client_name TEXT,
  redirect_uris TEXT[] NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE TABLE oauth_refresh_tokens (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  token TEXT NOT NULL,
  client_id TEXT NOT NULL,
  privy_user_id TEXT NOT NULL,
  scopes TEXT[] NOT NULL,
  privy_access_token TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX oauth_refresh_tokens_token_idx ON oauth_refresh_tokens (token);
CREATE INDEX oauth_refresh_tokens_user_client_idx ON oauth_refresh_tokens (privy_user_id, client_id);
CREATE TABLE oauth_access_token_sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  jti TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL,
  privy_user_id TEXT NOT NULL,
  scopes TEXT[] NOT NULL,
  privy_access_token TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE INDEX oauth_access_token_sessions_jti_idx ON oauth_access_token_sessions (jti);
"""


def sql_text(value):
    return "'" + value.replace("'", "''") + "'"


def sql_array(values):
    return "ARRAY[" + ", ".join(sql_text(value) for value in values) + "]::text[]"


class Original:
    """The original system's database and what it holds."""

    def __init__(self, cluster, database="original_system"):
        self.cluster = cluster
        self.database = database
        cluster.psql(f"CREATE DATABASE {database}")
        self.url = cluster.url_of(database)
        self.sql(ORIGINAL_SCHEMA)
        self.tokens = {}

    def sql(self, statement):
        return self.cluster.psql(statement, database=self.database)

    def add_client(self, client_id, redirect_uris, name="ChatGPT"):
        self.sql(f"INSERT INTO oauth_clients (id, client_name, redirect_uris) VALUES "
                 f"({sql_text(client_id)}, {sql_text(name)}, {sql_array(redirect_uris)})")

    def add_token(self, name, client_id, user_id, scopes=("read", "write"), expires_in="30 days", revoked=False):
        token = secrets.token_urlsafe(32)
        privy_token = "privy-token-of-" + name + "-" + secrets.token_hex(8)
        self.sql("INSERT INTO oauth_refresh_tokens (token, client_id, privy_user_id, scopes, privy_access_token, "
                 f"expires_at, revoked_at) VALUES ({sql_text(token)}, {sql_text(client_id)}, {sql_text(user_id)}, "
                 f"{sql_array(scopes)}, {sql_text(privy_token)}, NOW() + interval {sql_text(expires_in)}, "
                 f"{'NOW()' if revoked else 'NULL'})")
        self.tokens[name] = {"token": token, "client_id": client_id, "user_id": user_id, "privy_token": privy_token}

    def fingerprint(self):
        """Every row of the original's tables, as text: equal before and after means untouched."""
        return self.sql("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM oauth_clients t") + \
            self.sql("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM oauth_refresh_tokens t")


def run_import(env, *arguments):
    return subprocess.run([BINARY, "import-original", *arguments], env=app_environment(env), capture_output=True,
                          text=True, timeout=60)


def refresh(base_url, entry):
    return flow.refresh(base_url, entry["client_id"], entry["token"])


def test_imported_users_stay_connected(tmp_path, cluster, fake_backend):
    original = Original(cluster)
    original.add_client("client_original_dcr", [flow.REDIRECT_URI], name="ChatGPT (registered)")
    original.add_client("chatgpt-connector", ["https://chatgpt.com/old-static-callback"])
    original.add_token("alice", "client_original_dcr", "did:privy:alice")
    original.add_token("bob", "chatgpt-connector", "did:privy:bob", scopes=("read", "write", "openid"))
    original.add_token("expired", "client_original_dcr", "did:privy:carol", expires_in="-1 hour")
    original.add_token("revoked", "client_original_dcr", "did:privy:dave", revoked=True)
    original.add_token("orphan", "client_deleted_long_ago", "did:privy:erin")
    original.add_token("no-scope", "client_original_dcr", "did:privy:frank", scopes=("profile",))
    before = original.fingerprint()

    # The JWT keys carry over from the original's settings, as MIGRATING.md says.
    signing_key, keys = operator_keys()
    env = {"AUTH_STORAGE_DRIVER": "postgres", "DATABASE_URL": cluster.url, "BACKEND_API_URL": fake_backend, **keys}
    stack = Stack(tmp_path, env=env)
    env["SERVER_BASE_URL"] = stack.base_url

    first = run_import(env, original.url)
    assert first.returncode == 0, first.stderr
    assert "clients: 1 imported, 0 already present, 1 built in here" in first.stdout, first.stdout
    assert ("refresh tokens: 2 imported, 0 already imported, 1 expired, 1 revoked, 1 of unknown clients, "
            "1 without a scope this app grants") in first.stdout, first.stdout
    assert "dropped from imported tokens: openid, profile" in first.stdout, first.stdout
    assert original.fingerprint() == before, "the original's database was written to"

    # Stored as ours are: the refresh token as its SHA-256, the Privy token encrypted.
    for entry in original.tokens.values():
        assert cluster.psql(f"SELECT count(*) FROM oauth_refresh_tokens WHERE token = {sql_text(entry['token'])}") == "0"
        assert cluster.psql("SELECT count(*) FROM oauth_grants WHERE privy_access_token = "
                            f"{sql_text(entry['privy_token'])}") == "0"
    alice_hash = hashlib.sha256(original.tokens["alice"]["token"].encode()).hexdigest()
    assert cluster.psql(f"SELECT count(*) FROM oauth_refresh_tokens WHERE token = '{alice_hash}'") == "1"
    # The built-in client stays ours; the original's registered client arrives as it was.
    assert cluster.psql("SELECT redirect_uris FROM oauth_clients WHERE id = 'client_original_dcr'") == \
        "{" + flow.REDIRECT_URI + "}"

    stack.start()
    try:
        # An access token the original issued, signed with the same key: no session here, so a 401
        # that sends the client to refresh (RFC 6750 §3.1), which the imported refresh token then does.
        now = int(time.time())
        original_access = jwt.encode({"iss": stack.base_url, "sub": "did:privy:alice", "aud": stack.base_url,
                                      "client_id": "client_original_dcr", "scope": "read write", "iat": now,
                                      "exp": now + 3600, "jti": secrets.token_hex(8)}, signing_key, algorithm="RS256")
        refused = requests.post(stack.base_url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                                headers={**MCP_HEADERS, "Authorization": "Bearer " + original_access}, timeout=10)
        assert refused.status_code == 401, refused.text
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]

        assert "https://chatgpt.com/old-static-callback" not in cluster.psql(
            "SELECT array_to_string(redirect_uris, ' ') FROM oauth_clients WHERE id = 'chatgpt-connector'")
        # The next refresh of a connected user works here, and its access token works at /mcp with
        # the Privy token the original held.
        for name, scope in (("alice", "read write"), ("bob", "read write")):
            entry = original.tokens[name]
            refreshed = refresh(stack.base_url, entry)
            assert refreshed.status_code == 200, (name, refreshed.text)
            tokens = refreshed.json()
            assert tokens["scope"] == scope and tokens["refresh_token"] != entry["token"]
            called = requests.post(stack.base_url + "/mcp", json={
                "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get-items", "arguments": {}}},
                headers={**MCP_HEADERS, "Authorization": "Bearer " + tokens["access_token"]}, timeout=10)
            assert called.status_code == 200, (name, called.text)
            assert called.json()["result"].get("isError") is not True, (name, called.text)
            seen = requests.get(fake_backend + "/_requests", timeout=5).json()
            assert seen[-1]["authorization"] == "Bearer " + entry["privy_token"], name
            # Rotation as for our own tokens: the imported one is spent, its successor works.
            assert refresh(stack.base_url, {**entry, "token": tokens["refresh_token"]}).status_code == 200

        for name in ("expired", "revoked", "orphan", "no-scope"):
            refused = refresh(stack.base_url, original.tokens[name])
            assert refused.status_code in (400, 401), (name, refused.text)
            assert refused.json()["error"] in ("invalid_grant", "invalid_client"), (name, refused.text)

        # A second run imports nothing, and does not bring back the tokens already spent here.
        second = run_import(env, original.url)
        assert second.returncode == 0, second.stderr
        assert "clients: 0 imported, 1 already present, 1 built in here" in second.stdout, second.stdout
        assert "refresh tokens: 0 imported, 2 already imported" in second.stdout, second.stdout
        assert original.fingerprint() == before
        # Past the retry window (REFRESH_REUSE_INTERVAL), a spent imported token is a reuse.
        time.sleep(REFRESH_REUSE_INTERVAL + 0.2)
        assert refresh(stack.base_url, original.tokens["alice"]).json()["error"] == "invalid_grant"
    finally:
        stack.stop()


def test_import_refuses_what_it_cannot_do(tmp_path, cluster):
    """One line naming the problem and exit status 2, before anything is written: no URL, the
    memory store, no TOKEN_ENCRYPTION_KEY, an unreachable source, a source of this app's schema."""
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    postgres = {"AUTH_STORAGE_DRIVER": "postgres", "DATABASE_URL": cluster.url, "TOKEN_ENCRYPTION_KEY": key}
    original = Original(cluster)
    cases = [
        ("no URL", postgres, [], "usage: FCGIApp import-original"),
        ("memory store", {"AUTH_STORAGE_DRIVER": "memory"}, [original.url], "AUTH_STORAGE_DRIVER"),
        ("no encryption key", {**postgres, "TOKEN_ENCRYPTION_KEY": ""}, [original.url], "TOKEN_ENCRYPTION_KEY"),
        ("unreachable source", postgres, ["postgresql://postgres@127.0.0.1:1/none?connect_timeout=2"],
         "the original's database"),
        ("this app's own database", postgres, [cluster.url], "this app's schema"),
    ]
    for name, env, arguments, expected in cases:
        started = time.monotonic()
        result = run_import(env, *arguments)
        assert result.returncode == 2, (name, result.returncode, result.stdout, result.stderr)
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("FCGIApp: import-original:") and expected in last, (name, result.stderr)
        assert time.monotonic() - started < 30, name
