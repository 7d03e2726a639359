#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/corpus/<target>/ (one file per seed, named by the SHA-1 of
its bytes like libFuzzer's own files). Deterministic: running it again changes nothing.

Seeds use the fixture values and placeholders of Fuzz/Support/Harness.swift (@@AT@@, @@PRIVY@@,
@@KID@@, @@NOW@@, client_fuzz, fuzz-code, ...), so they reach the success paths.

    python3 Fuzz/make_corpus.py            # (re)write every corpus
"""
import base64
import hashlib
import json
import os
import struct
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
ISSUER = "http://127.0.0.1:3002"
RESOURCE = ISSUER + "/mcp"
CLIENT = "client_fuzz"
REDIRECT = "https://chatgpt.com/connector/oauth/fuzz"
VERIFIER = "fuzz-verifier-0123456789-0123456789-0123456789"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
METADATA_URL = "https://client.example/oauth/metadata.json"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def js(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def write(target, seeds):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    wanted = set()
    for seed in seeds:
        data = seed.encode() if isinstance(seed, str) else bytes(seed)
        name = hashlib.sha1(data).hexdigest()
        wanted.add(name)
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)
    print(f"{target}: {len(wanted)} seeds")


# ---- FastCGI params (cgi_exchange) ----

def fcgi_length(n: int) -> bytes:
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)


def fcgi(params, body=b"", flags=0):
    encoded = b"".join(fcgi_length(len(k)) + fcgi_length(len(v)) + k + v
                       for k, v in ((k.encode() if isinstance(k, str) else k, v.encode() if isinstance(v, str) else v)
                                    for k, v in params))
    return bytes([flags]) + encoded + b"\x00\x00" + body


def cgi(method, uri, body=b"", content_type=None, extra=(), flags=0, length=None):
    path, _, query = uri.partition("?")
    params = [("REQUEST_METHOD", method), ("REQUEST_URI", uri), ("QUERY_STRING", query), ("SCRIPT_NAME", path),
              ("SERVER_PROTOCOL", "HTTP/1.1"), ("REMOTE_ADDR", "127.0.0.1")]
    params.append(("CONTENT_LENGTH", str(len(body)) if length is None else length))
    if content_type:
        params.append(("CONTENT_TYPE", content_type))
    params.extend(extra)
    return fcgi(params, body, flags)


def token_form(**extra):
    return urlencode({"grant_type": "authorization_code", "code": "fuzz-code", "code_verifier": VERIFIER,
                      "client_id": CLIENT, "redirect_uri": REDIRECT, **extra}).encode()


def refresh_form(**extra):
    return urlencode({"grant_type": "refresh_token", "refresh_token": "fuzz-refresh", "client_id": CLIENT, **extra}).encode()


def authorize_query(**changes):
    params = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "st",
              "code_challenge": CHALLENGE, "code_challenge_method": "S256", "scope": "read write", "resource": RESOURCE}
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v is not None})


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

cgi_seeds = [
    cgi("GET", "/health"),
    cgi("GET", "/.well-known/oauth-authorization-server"),
    cgi("GET", "/.well-known/oauth-protected-resource/mcp"),
    cgi("GET", "/.well-known/jwks.json", extra=[("HTTP_X_REQUEST_ID", "abc-123")]),
    cgi("GET", "/authorize?" + authorize_query(), extra=[("HTTP_ACCEPT", "application/json")]),
    cgi("GET", "/authorize?" + authorize_query(redirect_uri="https://evil.example/cb")),
    cgi("POST", "/token", token_form(), FORM),
    cgi("POST", "/token", refresh_form(scope="read"), FORM),
    cgi("POST", "/token", js({"grant_type": "refresh_token", "refresh_token": "fuzz-refresh", "client_id": CLIENT}), JSON),
    cgi("POST", "/register", js({"client_name": "x", "redirect_uris": ["https://a.example/cb"]}), JSON),
    cgi("POST", "/revoke", b"token=fuzz-refresh&client_id=client_fuzz", FORM),
    cgi("POST", "/token/introspect", b"token=@@AT@@", FORM, extra=[("HTTP_AUTHORIZATION", "Bearer @@AT@@")]),
    cgi("POST", "/token/privy/access-token", b"", extra=[("HTTP_AUTHORIZATION", "Bearer @@AT@@")]),
    cgi("POST", "/authorize", js({"privy_token": "@@PRIVY@@", "user_consent": "true", "response_type": "code",
                                  "client_id": CLIENT, "redirect_uri": REDIRECT, "code_challenge": CHALLENGE,
                                  "code_challenge_method": "S256", "state": "s"}), JSON),
    cgi("POST", "/authorize/dev-login", js({"email": "a@b.example"}), JSON),
    cgi("POST", "/token", token_form(), FORM, length="-1"),
    cgi("POST", "/token", token_form(), FORM, length="99999999999999999999"),
    cgi("POST", "/token", token_form(), FORM, length="1e3"),
    cgi("POST", "/token", token_form(), FORM, length=" 10"),
    cgi("POST", "/token", token_form(), FORM, flags=1),
    cgi("POST", "/register", b"{" * 40, JSON, flags=2),
    cgi("DELETE", "/mcp"),
    cgi("OPTIONS", "/token"),
    cgi("HEAD", "/health"),
    cgi("get", "/health?x=1", extra=[("HTTP_HOST", "127.0.0.1")]),
    cgi("GET", "/health", extra=[("HTTP_X_REQUEST_ID", "a\r\nSet-Cookie: x=1")]),
    cgi("GET", "/nope/../health"),
    cgi("GET", ""),
    fcgi([("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/health"), ("PATH_INFO", "/x")]),
    fcgi([("REQUEST_METHOD", "POST"), ("SCRIPT_NAME", "/token"), ("CONTENT_LENGTH", "4"), ("CONTENT_TYPE", FORM)], b"a=b&"),
    fcgi([("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/health"), ("HTTP_" + "X" * 200, "y" * 300)]),
    fcgi([("REQUEST_METHOD=POST", "x"), ("REQUEST_URI", "/token\x00/health")]),
    fcgi([("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/health"), ("HTTP_AUTHORIZATION", "Bearer \xff\xfe")]),
    bytes([0]) + b"\x0e\x03REQUEST_METHODGET\x0b\x07REQUEST_URI/health",
    bytes([1]),
]

form_seeds = [
    "", "a=b", "a=b&c=d", "a", "a=", "=b", "=", "&&", "a=b&a=c", "a=1&b=2&a=3&b=4",
    "%41%42=%43", "%4", "%", "%zz=1", "a=%C3%A9", "a=%FF", "a=%E2%82", "a+b=c+d", "a%2Bb=%26%3D",
    "name=%00", "a=b=c", "%F0%9F%98%80=emoji", "caf\u00e9=\u00fc", "a%20b=c%20d&&e",
    authorize_query(), authorize_query(state="a\r\nb"), "state=%0d%0aLocation:%20http://evil", "x=" + "%41" * 64,
    "redirect_uri=https%3A%2F%2Fchatgpt.com%2Fconnector%2Foauth%2Fx%23frag", "a=%c3%28",
]

# ---- request_body: selector byte then body ----
ROUTES = {"/token": 0, "/register": 1, "/authorize": 2, "/authorize/complete": 3, "/revoke": 4,
          "/token/introspect": 5, "/authorize/dev-login": 6, "GET /authorize": 7}
TYPES = {JSON: 0, FORM: 1, None: 2, "Application/JSON; charset=UTF-8": 3}


def rb(route, content_type, body):
    body = body.encode() if isinstance(body, str) else body
    return bytes([ROUTES[route] | TYPES[content_type] << 3]) + body


decision = {"privy_token": "@@PRIVY@@", "privy_user_id": "did:privy:fuzz-user", "user_consent": "true",
            "response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "code_challenge": CHALLENGE,
            "code_challenge_method": "S256", "state": "st", "scope": "read write", "resource": RESOURCE}
request_body_seeds = [
    rb("/token", FORM, token_form()),
    rb("/token", JSON, js({"grant_type": "authorization_code", "code": "fuzz-code", "code_verifier": VERIFIER,
                           "client_id": CLIENT, "redirect_uri": REDIRECT})),
    rb("/token", FORM, token_form(code_verifier="wrong" * 10)),
    rb("/token", FORM, token_form(client_id="chatgpt-connector")),
    rb("/token", FORM, token_form(resource="https://other.example")),
    rb("/token", FORM, refresh_form()),
    rb("/token", FORM, refresh_form(scope="read write offline_access privy:token:exchange")),
    rb("/token", FORM, refresh_form(client_id="other")),
    rb("/token", FORM, "grant_type=client_credentials"),
    rb("/token", FORM, "grant_type=authorization_code&grant_type=refresh_token"),
    rb("/token", JSON, '{"grant_type":1,"code":true,"x":null,"y":1.5e300,"z":-0}'),
    rb("/token", JSON, "[1,2]"),
    rb("/token", None, ""),
    rb("/token", "Application/JSON; charset=UTF-8", '{"grant_type":"refresh_token","refresh_token":"fuzz-refresh","client_id":"client_fuzz"}'),
    rb("/register", JSON, js({"client_name": "Fuzz", "redirect_uris": ["https://a.example/cb", "http://127.0.0.1:9/cb"],
                              "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                              "token_endpoint_auth_method": "none"})),
    rb("/register", JSON, js({"redirect_uris": ["https://a.example/cb#frag"]})),
    rb("/register", JSON, js({"redirect_uris": ["https://user@a.example/cb"]})),
    rb("/register", JSON, js({"redirect_uris": ["http://evil.example/cb"]})),
    rb("/register", JSON, js({"redirect_uris": ["https://a.example/cb"], "token_endpoint_auth_method": "client_secret_basic",
                              "client_name": 5})),
    rb("/register", JSON, "[" * 600 + "]" * 600),
    rb("/register", JSON, '{"redirect_uris":' + "[" * 64 + "]" * 64 + "}"),
    rb("/register", FORM, "redirect_uris=https://a.example/cb"),
    rb("/authorize", JSON, js(decision)),
    rb("/authorize", FORM, urlencode(decision)),
    rb("/authorize", JSON, js({**decision, "user_consent": "false"})),
    rb("/authorize", JSON, js({**decision, "redirect_uri": "https://evil.example/cb"})),
    rb("/authorize", JSON, js({**decision, "code_challenge_method": "plain"})),
    rb("/authorize", JSON, js({**decision, "privy_token": "x.y.z"})),
    rb("/authorize/complete", JSON, js({**decision, "state": "a\r\nLocation: https://evil.example"})),
    rb("/revoke", FORM, "token=fuzz-refresh&client_id=client_fuzz"),
    rb("/revoke", FORM, "token=@@AT@@&token_type_hint=access_token&client_id=client_fuzz"),
    rb("/token/introspect", FORM, "token=@@AT@@"),
    rb("/token/introspect", FORM, "token=fuzz-refresh&token_type_hint=refresh_token"),
    rb("/authorize/dev-login", JSON, '{"email":"someone@example.com"}'),
    rb("/authorize/dev-login", FORM, "email=" + "a" * 300 + "@x"),
    rb("GET /authorize", JSON, authorize_query()),
    rb("GET /authorize", JSON, authorize_query(code_challenge_method="plain")),
    rb("GET /authorize", JSON, authorize_query(code_challenge=None)),
    rb("GET /authorize", JSON, authorize_query(resource="https://other.example")),
    rb("GET /authorize", JSON, authorize_query(redirect_uri=REDIRECT + "/../x")),
    rb("GET /authorize", JSON, authorize_query(client_id="chatgpt-connector", redirect_uri="https://chatgpt.com/connector/oauth/abc")),
    rb("GET /authorize", JSON, authorize_query(client_id=METADATA_URL)),
    rb("GET /authorize", FORM, authorize_query(response_type="token")),
    rb("GET /authorize", JSON, authorize_query() + "&state=again"),
]

# ---- JWTs ----


def jws(header, claims, signature=b"sig"):
    h = header if isinstance(header, bytes) else js(header)
    c = claims if isinstance(claims, bytes) else js(claims)
    return b64(h) + "." + b64(c) + "." + b64(signature)


good_claims = {"iss": ISSUER, "sub": "did:privy:fuzz-user", "aud": RESOURCE, "client_id": CLIENT, "scope": "read write",
               "jti": "fuzz-jti", "iat": 1700000000, "exp": 9999999999}
compact_seeds = [
    jws({"alg": "RS256", "typ": "at+jwt", "kid": "k"}, good_claims),
    jws({"alg": "none"}, good_claims, b""),
    jws({"alg": "ES256", "typ": "JWT"}, {"iss": "privy.io", "aud": ["a", "b"]}, b"\x00" * 64),
    jws({"alg": "HS256", "kid": "../../etc/passwd"}, {}),
    jws(b"[]", b"{}"), jws(b"{}", b"null"), jws(b"{", b"{}"), jws(b'{"a":1e999}', b"{}"),
    jws(b'{"alg":"\\u0000"}', b'{"x":"\\ud800"}'),
    "a.b.c", "..", ".", "", "a.b", "a.b.c.d", "e30.e30.", "e30.e30", "e30=.e30.", "e30.e30.+/", "e30.e30.AA", "e30.e30.A",
    "e30.e30.QQ", "e30.e30.QR", "eyJ9.e30.", " e30.e30.", "e30.e30.\u00e9",
    b64(js({"alg": "RS256"}) + b" " * 10) + "." + b64(b"{\"deep\":" + b"[" * 200 + b"]" * 200 + b"}") + ".",
]

access_seeds = [
    b"\x00Bearer @@AT@@", b"\x00bearer @@AT@@", b"\x00BEARER   @@AT@@  ", b"\x00Bearer @@AT@@x", b"\x00Bearer x@@AT@@",
    b"\x00Basic Zm9vOmJhcg==", b"\x00Bearer", b"\x00Bearer ", b"\x00Bearer a.b.c", b"\x00Bearer @@AT@@ @@AT@@",
    b"\x00Bearer\t@@AT@@", b"\x00Bearer " + jws({"alg": "none"}, good_claims, b"").encode(),
]
rs_header = b'{"alg":"RS256","kid":"@@KID@@","typ":"at+jwt"}'
for claims in [
    good_claims,
    {**good_claims, "aud": [RESOURCE, "https://other.example"]},
    {**good_claims, "aud": "https://other.example"},
    {**good_claims, "aud": ISSUER},
    {**good_claims, "iss": "https://evil.example"},
    {**good_claims, "exp": 1},
    {**good_claims, "exp": 9999999999.5, "iat": 1.5},
    {**good_claims, "nbf": 9999999999},
    {**good_claims, "iat": 9999999999},
    {**good_claims, "jti": "other"},
    {**good_claims, "client_id": "chatgpt-connector"},
    {**good_claims, "sub": "did:privy:someone-else"},
    {**good_claims, "exp": True, "iat": False},
    {**good_claims, "exp": "9999999999"},
    {k: v for k, v in good_claims.items() if k != "jti"},
]:
    access_seeds.append(b"\x01" + rs_header + b"\x00" + js(claims).replace(b"1700000000", b"@@NOW@@"))
access_seeds += [
    b"\x01" + b'{"alg":"RS256"}' + b"\x00" + js(good_claims),
    b"\x01" + b'{"alg":"RS256","kid":"../../etc/passwd"}' + b"\x00" + js(good_claims),
    b"\x01" + b'{"alg":"RS256","kid":["@@KID@@"]}' + b"\x00" + js(good_claims),
    b"\x01" + b'{"alg":"rs256","kid":"@@KID@@"}' + b"\x00" + js(good_claims),
    b"\x01" + b"not json\x00" + js(good_claims),
    b"\x02" + rs_header + b"\x00" + js(good_claims),
    b"\x03" + b'{"alg":"HS256","kid":"@@KID@@"}' + b"\x00" + js(good_claims),
    b"\x03" + b'{"alg":"none"}' + b"\x00" + js(good_claims),
]

bearer_seeds = [
    "Bearer @@AT@@", "bearer @@AT@@", "BeArEr @@AT@@", "Bearer  @@AT@@", " Bearer @@AT@@", "Bearer @@AT@@ ",
    "Bearer\t@@AT@@", "Bearer @@AT@@\r\n", "Bearer", "Bearer ", "Bearer x y", "Bearer a+b/c==", "Bearer a%20b",
    "Basic Zm9vOmJhcg==", "Token abc", "Bearerabc", "Bearer \u00e9", "Bearer " + "A" * 9000, "Bearer ~._-",
    "Bearer @@AT@@,Bearer @@AT@@", "DPoP @@AT@@", "",
]

privy_header = {"alg": "ES256", "typ": "JWT", "kid": "fuzz"}
privy_claims = {"iss": "privy.io", "aud": "development-app", "sub": "did:privy:abc123", "sid": "s",
                "iat": 1700000000, "exp": 9999999999}
privy_seeds = [b"\x00@@PRIVY@@", b"\x00@@PRIVY@@x", b"\x00x@@PRIVY@@", b"\x00@@PRIVY@@.", b"\x00a.b.c",
               b"\x00" + jws({"alg": "none", "typ": "JWT"}, privy_claims, b"").encode(),
               b"\x00" + jws({"alg": "ES256"}, privy_claims, b"\x00" * 64).encode(),
               b"\x00" + jws({"alg": "ES256"}, privy_claims, b"\x30\x44" + b"\x01" * 68).encode()]
for header, claims in [
    (privy_header, privy_claims),
    (privy_header, {**privy_claims, "aud": ["x", "development-app"]}),
    (privy_header, {**privy_claims, "aud": "other-app"}),
    (privy_header, {**privy_claims, "aud": [1, "development-app"]}),
    (privy_header, {**privy_claims, "iss": "https://privy.io"}),
    (privy_header, {**privy_claims, "exp": 1}),
    (privy_header, {**privy_claims, "exp": True}),
    (privy_header, {**privy_claims, "exp": 1e308, "iat": -1e308}),
    (privy_header, {**privy_claims, "nbf": 9999999999}),
    (privy_header, {**privy_claims, "iat": 9999999999}),
    (privy_header, {**privy_claims, "sub": "did:privy:"}),
    (privy_header, {**privy_claims, "sub": "did:privy:a b"}),
    (privy_header, {**privy_claims, "sub": "did:privy:" + "a" * 201}),
    (privy_header, {**privy_claims, "sub": "did:web:x"}),
    (privy_header, {**privy_claims, "sid": 5}),
    ({"alg": "ES256", "typ": "at+jwt"}, privy_claims),
    ({"alg": "ES256", "typ": 1}, privy_claims),
    ({"alg": "ES256", "typ": "jwt"}, privy_claims),
    ({"alg": "ES256"}, privy_claims),
    ({"alg": "RS256", "typ": "JWT"}, privy_claims),
]:
    privy_seeds.append(b"\x01" + js(header) + b"\x00" + js(claims).replace(b"1700000000", b"@@NOW@@"))
privy_seeds += [b"\x02" + js(privy_header) + b"\x00" + js(privy_claims),
                b"\x03" + b'{"alg":"HS256","typ":"JWT"}' + b"\x00" + js(privy_claims),
                b"\x03" + b'{"alg":"none","typ":"JWT"}X' + b"\x00" + js(privy_claims)]


def doc(**changes):
    document = {"client_id": METADATA_URL, "client_name": "Metadata client", "redirect_uris": ["https://client.example/cb"],
                "token_endpoint_auth_method": "none"}
    document.update(changes)
    return js({k: v for k, v in document.items() if v is not None})


def cm(cache_control, body, selector=0):
    return bytes([selector]) + cache_control.encode() + b"\x00" + body


metadata_seeds = [
    cm("max-age=600", doc()),
    cm("", doc()),
    cm("no-store", doc()),
    cm("no-cache, max-age=5", doc()),
    cm("public, max-age=99999999", doc()),
    cm("max-age=-1", doc()),
    cm("max-age=1e400", doc()),
    # "max-age=nan" is Fuzz/regressions/client_metadata/max-age-nan-never-cached (a NaN lifetime).
    cm("max-age = 120", doc()),
    cm("max-age=60", doc(client_id="https://client.example/other.json")),
    cm("max-age=60", doc(redirect_uris=["https://client.example/cb#frag"])),
    cm("max-age=60", doc(redirect_uris=["https://user@client.example/cb"])),
    cm("max-age=60", doc(redirect_uris=["http://client.example/cb"])),
    cm("max-age=60", doc(redirect_uris=["http://127.0.0.1:8080/cb", "http://localhost/cb", "http://[::1]:9/cb"])),
    cm("max-age=60", doc(redirect_uris=["https://client.example/cb"] * 25)),
    cm("max-age=60", doc(redirect_uris=[])),
    cm("max-age=60", doc(redirect_uris="https://client.example/cb")),
    cm("max-age=60", doc(token_endpoint_auth_method="private_key_jwt")),
    cm("max-age=60", doc(client_name=["x"])),
    cm("max-age=60", b"[]"),
    cm("max-age=60", b"{" * 100),
    cm("max-age=60", b""),
    cm("max-age=60", doc(), selector=2),
    cm("max-age=60", doc(), selector=6),
    cm("max-age=60|" + METADATA_URL, doc(), selector=1),
    cm("max-age=60|https://client.example/oauth/metadata.json#x", doc(client_id=METADATA_URL + "#x"), selector=1),
    cm("max-age=60|https://10.0.0.1/c.json", doc(client_id="https://10.0.0.1/c.json"), selector=1),
    cm("max-age=60|https://user@client.example/c.json", doc(client_id="https://user@client.example/c.json"), selector=1),
    # A '#' followed by a combining mark is Fuzz/regressions/client_metadata/fragment-behind-combining-mark.
]


# ---- mcp_jsonrpc: selector (version header, origin, read-only token) then the body ----
VERSION = {None: 0, "2025-03-26": 1, "2025-06-18": 2, "2025-11-25": 3, "2024-11-05": 4, "padded": 5, "garbage": 6}


def mc(body, version="2025-06-18", origin=None, read_only=False):
    selector = VERSION[version] | (8 if origin else 0) | (16 if origin == "ours" else 0) | (32 if read_only else 0)
    return bytes([selector]) + (body if isinstance(body, bytes) else js(body))


def rpc(method, params=None, id_=1):
    message = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        message["params"] = params
    return message


initialize = rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}})
mcp_seeds = [
    mc(initialize, None), mc(initialize, "2025-11-25"), mc(rpc("initialize", {"protocolVersion": "1999-01-01"}), None),
    mc(rpc("ping")), mc(rpc("ping", id_="abc")), mc(rpc("ping", id_=None)), mc(rpc("ping", id_=1.5)), mc(rpc("ping", id_=[1])),
    mc(rpc("tools/list")), mc(rpc("tools/list", {"cursor": "x"})),
    mc(rpc("tools/call", {"name": "get-items", "arguments": {}})),
    mc(rpc("tools/call", {"name": "get-items"}), read_only=True),
    mc(rpc("tools/call", {"name": "item-action", "arguments": {"item_id": "item-2", "action": "complete"}})),
    mc(rpc("tools/call", {"name": "item-action", "arguments": {"item_id": "item-2", "action": "delete"}}), read_only=True),
    mc(rpc("tools/call", {"name": "item-action", "arguments": {"item_id": 5, "action": ["x"]}})),
    mc(rpc("tools/call", {"name": "nope", "arguments": {}})), mc(rpc("tools/call", {"arguments": {}})),
    mc(rpc("tools/call", "not an object")),
    mc(rpc("resources/list")), mc(rpc("resources/templates/list")),
    mc(rpc("resources/read", {"uri": "ui://widget/list-view.html"})), mc(rpc("resources/read", {"uri": "file:///etc/passwd"})),
    mc(rpc("prompts/list")), mc(rpc("logging/setLevel", {"level": "debug"})), mc(rpc("completion/complete", {})),
    mc(rpc("no/such/method")),
    mc({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    mc({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}),
    mc({"jsonrpc": "2.0", "id": 1, "result": {}}), mc({"jsonrpc": "2.0", "id": 1, "error": {"code": 1, "message": "x"}}),
    mc({"jsonrpc": "1.0", "id": 1, "method": "ping"}), mc({"id": 1, "method": "ping"}), mc({"jsonrpc": "2.0", "id": 1}),
    mc([rpc("ping", id_=1), rpc("tools/list", id_=2)], "2025-03-26"), mc([rpc("ping")], "2025-06-18"), mc([], "2025-03-26"),
    mc([initialize], "2025-03-26"), mc([{"jsonrpc": "2.0", "method": "notifications/initialized"}], None),
    mc(rpc("ping"), "2024-11-05"), mc(rpc("ping"), "padded"), mc(rpc("ping"), "garbage"),
    mc(rpc("ping"), origin="ours"), mc(rpc("ping"), origin="evil"),
    mc(b""), mc(b"null"), mc(b"1"), mc(b'"x"'), mc(b"{"), mc(b"[" * 300 + b"]" * 300, "2025-03-26"),
    mc(b'{"jsonrpc":"2.0","id":1,"method":"ping","params":' + b"[" * 300 + b"]" * 300 + b"}"),
]


# ---- app manifests, JSON text, manifest tool calls (app_manifest) ----

def manifest_file(name):
    with open(os.path.join(HERE, "..", name), "rb") as handle:
        return handle.read()


def mt(tool, arguments, status, answer):
    """A tools/call of the notes example: tool 0 search-notes, 1 create-note, 2 show-note."""
    statuses = [200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]
    return bytes([2 + 3 * tool]) + js(arguments) + b"\0" + bytes([statuses.index(status)]) + \
        (answer if isinstance(answer, bytes) else js(answer))


note = {"id": "n1", "title": "Groceries", "body": "milk", "tags": ["home"], "updatedAt": "2026-01-05T09:30:00Z"}
app_manifest_seeds = [
    b"\0" + manifest_file("examples/items/app.json"), b"\0" + manifest_file("examples/notes/app.json"),
    b"\0" + manifest_file("Tests/manifests/valid/app.json"), b"\0{}", b"\0[]", b'\0{"server":{"name":"x"}',
    b"\1" + js({"a": [1, 2.5, -3e10, True, None, "\u00e9\ud83d\ude00"], "b": {}}), b'\1"\\ud800"', b"\1" + b"[" * 80 + b"]" * 80,
    b"\1 1e999 ", b'\1{"a":1,"a":2}', b"\1-0.0",
    mt(0, {"q": "milk", "limit": 2}, 200, {"notes": [note], "total": 1}),
    mt(0, {"q": "x"}, 500, {"error": "down"}),
    mt(1, {"title": "New", "tags": ["a", "b"]}, 201, {"note": note}),
    mt(1, {"title": "Groceries"}, 409, {"error": "exists"}),
    mt(2, {"id": "../admin"}, 404, {"error": "not found"}),
    mt(2, {"id": "n1"}, 200, {"note": note}), mt(2, {"id": "n1"}, 200, {"note": [1]}), mt(2, {"id": "n1"}, 204, b""),
    mt(2, {"id": "n1"}, 200, b"not json"), mt(2, {"id": "n1"}, 401, b""), mt(2, {"id": 5}, 200, b"{}"),
]


def main():
    write("cgi_exchange", cgi_seeds)
    write("form_parameters", form_seeds)
    write("request_body", request_body_seeds)
    write("compact_jws", compact_seeds)
    write("access_token", access_seeds)
    write("bearer_header", bearer_seeds)
    write("privy_token", privy_seeds)
    write("client_metadata", metadata_seeds)
    write("mcp_jsonrpc", mcp_seeds)
    write("app_manifest", app_manifest_seeds)


if __name__ == "__main__":
    main()
