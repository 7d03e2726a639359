"""Flooding /mcp and, through its tools, the user's API: the per-user budgets
(MCP_CALLS_PER_USER_PER_MINUTE, BACKEND_CALLS_PER_USER_PER_MINUTE), end to end through nginx, on
the memory store and on PostgreSQL (where every process adds to one count).

Rules checked: RFC 6585 §4 (429 Too Many Requests, with Retry-After), RFC 9110 §10.2.3
(Retry-After: whole seconds), JSON-RPC 2.0 §5.1 (the error body a client of /mcp can read), and
the project's own: a batch item counts as one call; one user's budget never holds back another's;
a call to the user's API over budget is not made (the API receives at most the budget) and the
tool says when to retry.

The budgets count per minute, aligned to the clock: each test starts early in a minute, so that
its calls all fall in one window. Everything binds to 127.0.0.1; every loop is bounded.
"""
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import oauth_flow as flow
from conftest import STORAGE_DRIVERS, start_fake_backend, stop_fake_backend, storage_environment
from stack import Stack

TIMEOUT = 10
MCP_BUDGET = 5
BACKEND_BUDGET = 3


@pytest.fixture(scope="module", params=STORAGE_DRIVERS)
def limited(request, tmp_path_factory):
    """A stack with small budgets whose tools call the fake user's API; yields (stack, API URL)."""
    backend, backend_url = start_fake_backend()
    env = {**storage_environment(request.param), "BACKEND_API_URL": backend_url,
           "MCP_CALLS_PER_USER_PER_MINUTE": str(MCP_BUDGET), "BACKEND_CALLS_PER_USER_PER_MINUTE": str(BACKEND_BUDGET)}
    running = Stack(tmp_path_factory.mktemp("limited-stack"), env=env).start()
    try:
        yield running, backend_url
    finally:
        running.stop()
        stop_fake_backend(backend)


def new_user(base_url):
    """A user of their own (a fresh email: PostgreSQL counts outlive a stack), with an access token."""
    _, tokens = flow.tokens_for_new_client(base_url, email=f"{uuid.uuid4().hex[:12]}@example.com")
    return tokens["access_token"]


def early_in_a_minute(margin=20):
    """Waits, if need be, until at least `margin` seconds of the current minute are left."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.2)


def mcp(base_url, token, body, version="2025-06-18"):
    return requests.post(base_url + "/mcp", json=body, timeout=TIMEOUT,
                         headers={"Authorization": "Bearer " + token, "MCP-Protocol-Version": version,
                                  "Accept": "application/json, text/event-stream"})


def ping(number):
    return {"jsonrpc": "2.0", "id": number, "method": "ping"}


def get_items(number):
    return {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {"name": "get-items", "arguments": {}}}


def assert_too_many_requests(response, request_id=None):
    """RFC 6585 §4 with Retry-After in whole seconds (RFC 9110 §10.2.3), and a JSON-RPC error
    carrying the same seconds (JSON-RPC 2.0 §5.1)."""
    assert response.status_code == 429, response.text
    retry_after = response.headers["Retry-After"]
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, retry_after
    assert response.headers["Content-Type"].startswith("application/json")
    reply = response.json()
    assert reply["jsonrpc"] == "2.0" and reply["id"] == request_id
    assert reply["error"]["code"] == -32000
    assert reply["error"]["data"]["retryAfterSeconds"] == int(retry_after)
    assert f"retry in {retry_after} s" in reply["error"]["message"]


def test_a_user_over_the_mcp_budget_gets_429_while_another_user_is_unaffected(limited):
    """RFC 6585 §4: past MCP_CALLS_PER_USER_PER_MINUTE messages, /mcp answers 429 with
    Retry-After. User A floods from several connections at once, across the worker threads;
    exactly the budget gets through. User B, at the same time, gets every answer."""
    stack, _ = limited
    flooder, bystander = new_user(stack.base_url), new_user(stack.base_url)
    early_in_a_minute()
    attempts = [(flooder, number) for number in range(1, 13)] + [(bystander, number) for number in range(1, MCP_BUDGET + 1)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda attempt: (attempt, mcp(stack.base_url, attempt[0], ping(attempt[1]))), attempts))
    flooded = [(number, response) for (token, number), response in responses if token == flooder]
    assert Counter(response.status_code for _, response in flooded) == {200: MCP_BUDGET, 429: 12 - MCP_BUDGET}
    for number, response in flooded:
        if response.status_code == 429:
            assert_too_many_requests(response, request_id=number)
    assert all(response.status_code == 200 and "result" in response.json()
               for (token, _), response in responses if token == bystander)
    # The budget holds until the minute ends: the next message is refused too.
    assert_too_many_requests(mcp(stack.base_url, flooder, ping(99)), request_id=99)


def test_each_batch_item_counts_against_the_mcp_budget(limited):
    """A JSON-RPC batch (protocol 2025-03-26) of n messages is n calls, so batching cannot
    multiply the budget; a batch that does not fit is refused whole, none of it run."""
    stack, _ = limited
    user = new_user(stack.base_url)
    early_in_a_minute()
    first = mcp(stack.base_url, user, [ping(number) for number in range(1, MCP_BUDGET)], version="2025-03-26")
    assert first.status_code == 200 and len(first.json()) == MCP_BUDGET - 1
    assert_too_many_requests(mcp(stack.base_url, user, [ping(10), ping(11)], version="2025-03-26"))


def test_the_users_api_receives_at_most_the_backend_budget(limited):
    """Past BACKEND_CALLS_PER_USER_PER_MINUTE calls to the user's API, a tool's call is not made:
    the API sees at most the budget from one user, and the tool result says when to retry.
    Another user's calls go through meanwhile."""
    stack, backend_url = limited
    requests.post(backend_url + "/_reset", timeout=TIMEOUT)
    flooder, bystander = new_user(stack.base_url), new_user(stack.base_url)
    early_in_a_minute()
    results = [mcp(stack.base_url, flooder, get_items(number)) for number in range(1, MCP_BUDGET + 1)]
    assert all(response.status_code == 200 for response in results)
    outcomes = [response.json()["result"] for response in results]
    assert [outcome["isError"] for outcome in outcomes] == [False] * BACKEND_BUDGET + [True] * (MCP_BUDGET - BACKEND_BUDGET)
    for refused in outcomes[BACKEND_BUDGET:]:
        text = refused["content"][0]["text"]
        seconds = refused["_meta"]["retryAfterSeconds"]
        assert 1 <= seconds <= 60
        assert text == f"Too many requests to the app this minute. Try again in {seconds} seconds."
    other = mcp(stack.base_url, bystander, get_items(1))
    assert other.status_code == 200 and other.json()["result"]["isError"] is False

    seen = requests.get(backend_url + "/_requests", timeout=TIMEOUT).json()
    per_user = sorted(Counter(request["authorization"] for request in seen).values())
    assert per_user == [1, BACKEND_BUDGET], per_user
