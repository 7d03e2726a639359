"""The reference for the /mcp benchmark: the same two tools on the official Python MCP SDK.

`mcp.server.mcpserver.MCPServer` (mcp 2.x), stateless streamable HTTP with JSON responses, as
an ASGI app for uvicorn:

    uvicorn --app-dir bench --workers 2 --host 127.0.0.1 --port PORT reference_mcp_server:app

It does the work our /mcp does with the demo backend: every request needs a Bearer access token
from our authorization server, checked the way the SDK's resource-server support intends (a
`TokenVerifier` and `AuthSettings` with the required scope `read`): RS256 signature with the key
our JWKS publishes (`REFERENCE_JWKS_URL`, fetched once at start), `typ` at+jwt, issuer, audience,
expiry, then a look-up of the token id among revoked ones (ours looks up the token's session).
get-items answers the same three demo items with `structuredContent`, a text block and the widget
`_meta`; item-action changes one. Tool descriptors carry the same annotations, output schemas and
`_meta`. The SDK validates arguments and structured output against the tools' models, as it does
for every server. Environment: REFERENCE_JWKS_URL, REFERENCE_ISSUER, REFERENCE_RESOURCE (the
audience, our /mcp URL).
"""
import json
import os
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Annotated, Literal

import jwt
from pydantic import AnyHttpUrl, BaseModel, Field

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations

WIDGET_URI = "ui://widget/list-view.html"


class Item(BaseModel):
    id: str
    title: str
    status: str = Field(description="open or done")
    createdAt: str


class ItemList(BaseModel):
    items: list[Item]


class ItemChange(BaseModel):
    item: Item
    items: list[Item]


def tool_meta(scope, invoking, invoked):
    return {
        "securitySchemes": [{"type": "oauth2", "scopes": [scope]}],
        "openai/outputTemplate": WIDGET_URI,
        "ui": {"resourceUri": WIDGET_URI},
        "openai/toolInvocation/invoking": invoking,
        "openai/toolInvocation/invoked": invoked,
        "openai/widgetAccessible": True,
    }


def iso(moment):
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


# The demo samples (Sources/Storage/DemoItemSamples.swift), for the one anonymous user.
_started = datetime.now(timezone.utc)
ITEMS = [
    {"id": f"item-{index + 1}", "title": title, "status": "done" if index == 0 else "open",
     "createdAt": iso(_started + timedelta(seconds=index - 3))}
    for index, title in enumerate([
        "Connect this app to ChatGPT",
        "Point BACKEND_API_URL at your own API",
        "Replace the demo items with your product's data",
    ])
]


def summary(items):
    if not items:
        return "You have no items."
    done = sum(1 for item in items if item["status"] == "done")
    noun = "item" if len(items) == 1 else "items"
    return f"You have {len(items)} {noun}: {len(items) - done} open, {done} done."


def widget_meta():
    return {"listView": {"backend": "demo", "updatedAt": iso(datetime.now(timezone.utc))}}


ISSUER = os.environ["REFERENCE_ISSUER"]
RESOURCE = os.environ["REFERENCE_RESOURCE"]


def published_keys():
    with urllib.request.urlopen(os.environ["REFERENCE_JWKS_URL"], timeout=10) as response:
        return {key["kid"]: jwt.PyJWK(key).key for key in json.load(response)["keys"]}


class AccessTokenVerifier:
    """RS256 access tokens of our authorization server (RFC 9068), as ours checks them."""

    def __init__(self):
        self.keys = published_keys()
        self.revoked_token_ids = set()

    async def verify_token(self, token):
        try:
            header = jwt.get_unverified_header(token)
            key = self.keys.get(header.get("kid"))
            if key is None or header.get("typ", "").lower() not in ("at+jwt", "application/at+jwt"):
                return None
            claims = jwt.decode(token, key, algorithms=["RS256"], audience=RESOURCE, issuer=ISSUER,
                                options={"require": ["exp", "iat", "sub", "jti", "client_id"]}, leeway=60)
        except jwt.PyJWTError:
            return None
        if claims["jti"] in self.revoked_token_ids:
            return None
        return AccessToken(token=token, client_id=claims["client_id"], scopes=claims.get("scope", "").split(),
                           expires_at=claims["exp"], resource=RESOURCE, subject=claims["sub"])


server = MCPServer(name="reference-mcp-server", version="1.0.0", log_level="WARNING",
                   token_verifier=AccessTokenVerifier(),
                   auth=AuthSettings(issuer_url=AnyHttpUrl(ISSUER), resource_server_url=AnyHttpUrl(RESOURCE),
                                     required_scopes=["read"]))


@server.tool(name="get-items", title="Show my items",
             description="List the signed-in user's items (id, title, status open/done) and show them in an interactive list.",
             annotations=ToolAnnotations(title="Show my items", read_only_hint=True, destructive_hint=False,
                                         idempotent_hint=True, open_world_hint=False),
             meta=tool_meta("read", "Loading your items…", "Here are your items"))
def get_items() -> Annotated[CallToolResult, ItemList]:
    items = [dict(item) for item in ITEMS]
    return CallToolResult(content=[TextContent(type="text", text=summary(items))],
                          structured_content={"items": items}, is_error=False, _meta=widget_meta())


@server.tool(name="item-action", title="Change an item",
             description="Complete, reopen or delete one of the user's items by id (ids come from get-items).",
             annotations=ToolAnnotations(title="Change an item", read_only_hint=False, destructive_hint=True,
                                         idempotent_hint=True, open_world_hint=False),
             meta=tool_meta("write", "Updating the item…", "Item updated"))
def item_action(item_id: Annotated[str, Field(min_length=1, description="The item's id, from get-items")],
                action: Literal["complete", "reopen", "delete"]) -> Annotated[CallToolResult, ItemChange]:
    item = next((item for item in ITEMS if item["id"] == item_id), None)
    if item is None:
        return CallToolResult(content=[TextContent(type="text", text=f"No such item: {item_id[:200]}")], is_error=True)
    if action == "delete":
        ITEMS.remove(item)
        text = f'Deleted "{item["title"][:120]}".'
    else:
        item["status"] = "done" if action == "complete" else "open"
        text = (f'Marked "{item["title"][:120]}" as done.' if action == "complete"
                else f'Reopened "{item["title"][:120]}".')
    return CallToolResult(content=[TextContent(type="text", text=text)],
                          structured_content={"item": dict(item), "items": [dict(i) for i in ITEMS]},
                          is_error=False, _meta=widget_meta())


app = server.streamable_http_app(stateless_http=True, json_response=True)
