"""Attacks through Client ID Metadata Documents, end to end through nginx: a client_id that is an
https URL makes the server fetch it (draft-ietf-oauth-client-id-metadata-document, MCP
2025-11-25 Authorization), so the URL is a stranger's lever on our network (draft §6.5, SSRF).

- The answer never tells how names resolve or what answers inside our network: every transport
  failure (refused address, unresolvable host, TLS) reads "client metadata document could not be
  fetched"; the precise reason goes to the server log.
- A refused or unreachable URL is remembered for 60 s: a burst naming it costs one fetch.
- Addresses are judged by the IANA special-purpose address registries (RFC 6890), IPv4 and IPv6.

Every URL here is refused before any connection is opened or fails in name resolution (the
`.invalid` top-level domain never resolves, RFC 6761 §6.4), so nothing leaves this machine.
"""
import uuid
from urllib.parse import urlencode

import requests

import oauth_flow as flow

TIMEOUT = 10
GENERIC = "client metadata document could not be fetched"
# Words of curl's messages and of our guard's, none of which may reach an anonymous caller.
REVEALING = ["resolve", "curl", "non-public", "address", "connect", "ssl", "certificate", "loopback", "rfc",
             "timed out", "host"]


def refusal_lines(stack, host):
    """The server log's refusal records for `host` (its host and non-default port)."""
    return [record for record in stack.app_log_records()
            if record.get("msg") == "client metadata document refused" and record.get("host") == host]


def assert_says_nothing_about_the_network(answer, client_id, host):
    assert answer["error"] == "invalid_client", (client_id, answer)
    description = answer["error_description"]
    assert description == GENERIC, (client_id, description)
    lowered = description.lower()
    bare = (host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host).strip("[]").lower()
    assert host.lower() not in lowered and bare not in lowered, (client_id, description)
    for word in REVEALING:
        assert word not in lowered, (client_id, word, description)


def every_endpoint_refuses(stack, client_id, host):
    """GET /authorize (page and JSON), POST /authorize/complete and POST /token: each names the
    client_id, each gets the same generic invalid_client, never a redirect or a 5xx."""
    _, challenge = flow.pkce_pair()
    params = flow.authorize_params(client_id, challenge, redirect_uri="https://client.example/cb")
    page = requests.get(stack.base_url + "/authorize?" + urlencode(params), allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == 400 and "Location" not in page.headers, (client_id, page.status_code)
    assert host not in page.text, client_id

    details = flow.consent_details(stack.base_url, params)
    assert details.status_code == 401, (client_id, details.status_code, details.text)
    assert_says_nothing_about_the_network(details.json(), client_id, host)

    completed = requests.post(stack.base_url + "/authorize/complete", json={
        **params, **flow.dev_login(stack.base_url), "user_consent": "true"}, timeout=TIMEOUT)
    assert completed.status_code == 400, (client_id, completed.status_code, completed.text)
    assert_says_nothing_about_the_network(completed.json(), client_id, host)

    token = requests.post(stack.base_url + "/token", data={
        "grant_type": "authorization_code", "client_id": client_id, "code": "x" * 43,
        "code_verifier": "v" * 43, "redirect_uri": "https://client.example/cb"}, timeout=TIMEOUT)
    assert token.status_code == 401, (client_id, token.status_code, token.text)
    assert_says_nothing_about_the_network(token.json(), client_id, host)


def test_refused_addresses_are_not_named_to_the_caller(stack):
    """draft-ietf-oauth-client-id-metadata-document §6.5 (SSRF) and RFC 6749 §5.2 (the
    description is for the client's developer, not a probe of our network): a client_id URL on a
    loopback, private or special-purpose address (IANA IPv4/IPv6 Special-Purpose Address
    Registries, RFC 6890) is refused, and the answer names neither the address nor why; the
    server log does, naming the registry block."""
    port = 40000 + uuid.uuid4().int % 20000  # a distinct host:port per run keeps records apart
    cases = [
        (f"127.0.0.1:{port}", "127.0.0.1 in Loopback (RFC 1122)"),
        (f"localhost:{port}", "in Loopback"),
        (f"[::1]:{port}", "::1 in Loopback Address (RFC 4291)"),
        (f"198.18.0.1:{port}", "198.18.0.1 in Benchmarking (RFC 2544)"),
        (f"192.0.2.10:{port}", "in Documentation (TEST-NET-1) (RFC 5737)"),
        (f"203.0.113.10:{port}", "in Documentation (TEST-NET-3) (RFC 5737)"),
        (f"192.0.0.9:{port}", "in IETF Protocol Assignments (RFC 6890)"),
        (f"[2002:7f00:1::1]:{port}", "in 6to4 (RFC 3056) of Loopback (RFC 1122)"),
        (f"[64:ff9b:1::a00:1]:{port}", "in IPv4-IPv6 Translat. (local-use) (RFC 8215)"),
        (f"[2001:db8::1]:{port}", "in Documentation (RFC 3849)"),
        (f"[5f00::1]:{port}", "in Segment Routing (SRv6) SIDs (RFC 9602)"),
    ]
    for host, logged in cases:
        client_id = f"https://{host}/client.json"
        every_endpoint_refuses(stack, client_id, host)
        records = refusal_lines(stack, host)
        assert records and logged in records[0]["reason"], (client_id, records)


def test_unresolvable_hosts_are_not_described_to_the_caller(stack):
    """draft-ietf-oauth-client-id-metadata-document §6.5: whether and how a name resolves from
    inside our network is not told to an anonymous caller (curl's "Could not resolve host" stays
    in the server log)."""
    host = f"cimd-{uuid.uuid4().hex[:12]}.invalid"
    client_id = f"https://{host}/oauth/client.json"
    every_endpoint_refuses(stack, client_id, host)
    records = refusal_lines(stack, host)
    assert len(records) == 1, records
    assert "resolve" in records[0]["reason"].lower(), records


def test_a_burst_naming_one_unreachable_url_costs_one_fetch(stack):
    """SECURITY.md (SSRF through client metadata documents): a failed fetch is remembered for
    60 s, so repeated requests naming the same URL are answered from that memory; the server
    log holds one refusal for the whole burst."""
    for host in (f"burst-{uuid.uuid4().hex[:12]}.invalid", f"10.{uuid.uuid4().int % 250}.0.1:8443"):
        client_id = f"https://{host}/client.json"
        _, challenge = flow.pkce_pair()
        params = flow.authorize_params(client_id, challenge, redirect_uri="https://client.example/cb")
        for _ in range(12):
            details = flow.consent_details(stack.base_url, params)
            assert details.status_code == 401 and details.json()["error_description"] == GENERIC, details.text
        every_endpoint_refuses(stack, client_id, host)
        assert len(refusal_lines(stack, host)) == 1, (client_id, refusal_lines(stack, host))
        # Another document on the same host is another URL: fetched (and refused) once too.
        other = f"https://{host}/other.json"
        for _ in range(3):
            assert flow.consent_details(stack.base_url, {**params, "client_id": other}).status_code == 401
        assert len(refusal_lines(stack, host)) == 2, (other, refusal_lines(stack, host))
