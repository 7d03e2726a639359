"""The JSON Schema of the app manifest (schema/app-manifest.schema.json) against the manifests the
project ships: editors check manifests with it, so every example must pass, and documents that
break docs/MANIFEST.md must not, each refused where the mistake is. Needs no running stack.
"""
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "app-manifest.schema.json"
EXAMPLES = sorted(ROOT.glob("examples/*/app.json"))
VALID_MANIFESTS = EXAMPLES + sorted(ROOT.glob("Tests/manifests/valid/*.json"))


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator():
    schema = load(SCHEMA_PATH)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(validator, document):
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def test_the_items_and_notes_examples_are_there():
    """The glob below must not quietly pass on nothing."""
    assert {path.parent.name for path in EXAMPLES} >= {"items", "notes"}


@pytest.mark.parametrize("path", VALID_MANIFESTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_shipped_manifest_is_valid(validator, path):
    assert problems(validator, load(path)) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.parent.name)
def test_example_names_the_schema_editors_use(path):
    """`$schema` is relative to the manifest, so editors find the schema from any checkout."""
    assert (path.parent / load(path)["$schema"]).resolve() == SCHEMA_PATH


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.parent.name)
def test_example_tool_schemas_are_json_schemas(path):
    for tool in load(path)["tools"]:
        Draft202012Validator.check_schema(tool["inputSchema"])
        if "outputSchema" in tool:
            Draft202012Validator.check_schema(tool["outputSchema"])


def notes_example():
    return load(ROOT / "examples" / "notes" / "app.json")


def tool(document, name):
    return next(entry for entry in document["tools"] if entry["name"] == name)


def break_unknown_top_level_key(document):
    document["permissions"] = ["notes.read"]


def break_unknown_tool_key(document):
    tool(document, "show-note")["securitySchemes"] = []


def break_unknown_call_key(document):
    tool(document, "show-note")["call"]["url"] = "https://api.example.com/notes"


def break_widget_id_with_capitals(document):
    document["widgets"][0]["id"] = "Note-Detail"


def break_widget_id_starting_with_a_digit(document):
    document["widgets"][0]["id"] = "1note"


def break_widget_id_with_underscore(document):
    document["widgets"][0]["id"] = "note_detail"


def break_widget_script_with_folder(document):
    document["widgets"][0]["script"] = "../secrets.js"


def break_errors_key_401(document):
    tool(document, "show-note")["result"]["errors"]["401"] = "Sign in again."


def break_errors_key_403(document):
    tool(document, "show-note")["result"]["errors"]["403"] = "Not allowed."


def break_errors_key_2xx(document):
    tool(document, "show-note")["result"]["errors"]["2xx"] = "Fine."


def break_missing_call(document):
    del tool(document, "show-note")["call"]


def break_missing_scopes(document):
    del document["scopes"]


def break_empty_scopes(document):
    document["scopes"] = []


def break_reserved_scope(document):
    document["scopes"].append({"name": "offline_access", "consent": "Stay connected"})


def break_server_name_with_capitals(document):
    document["server"]["name"] = "Notes"


def break_long_instructions(document):
    document["server"]["instructions"] = "x" * 4001


def break_long_status_line(document):
    tool(document, "show-note")["widget"]["invoking"] = "x" * 65


def break_input_schema_not_object(document):
    tool(document, "show-note")["inputSchema"] = {"type": "array"}


def break_input_schema_with_ref(document):
    tool(document, "show-note")["inputSchema"]["properties"]["id"] = {"$ref": "#/$defs/id"}


def break_input_schema_with_one_of(document):
    tool(document, "search-notes")["inputSchema"]["oneOf"] = [{"required": ["q"]}]


def break_method_head(document):
    tool(document, "show-note")["call"]["method"] = "HEAD"


def break_relative_path(document):
    tool(document, "show-note")["call"]["path"] = "notes/{id}"


def break_reserved_header(document):
    tool(document, "show-note")["call"]["headers"]["authorization"] = "Bearer ${NOTES_TOKEN}"


def break_header_name_not_a_token(document):
    tool(document, "show-note")["call"]["headers"]["X Notes Key"] = "${NOTES_API_KEY}"


def break_header_value_with_newline(document):
    tool(document, "show-note")["call"]["headers"]["X-Notes-Api-Key"] = "key\r\nX-Admin: 1"


def break_bad_pointer(document):
    tool(document, "show-note")["result"]["structuredContent"] = "note"


def break_visibility(document):
    tool(document, "show-note")["visibility"] = "hidden"


def break_http_csp_origin(document):
    document["widgets"][0]["csp"] = {"connectDomains": ["http://api.example.com"]}


BREAKS = [
    (break_unknown_top_level_key, "$"),
    (break_unknown_tool_key, "$.tools[2]"),
    (break_unknown_call_key, "$.tools[2].call"),
    (break_widget_id_with_capitals, "$.widgets[0].id"),
    (break_widget_id_starting_with_a_digit, "$.widgets[0].id"),
    (break_widget_id_with_underscore, "$.widgets[0].id"),
    (break_widget_script_with_folder, "$.widgets[0].script"),
    (break_errors_key_401, "$.tools[2].result.errors"),
    (break_errors_key_403, "$.tools[2].result.errors"),
    (break_errors_key_2xx, "$.tools[2].result.errors"),
    (break_missing_call, "$.tools[2]"),
    (break_missing_scopes, "$"),
    (break_empty_scopes, "$.scopes"),
    (break_reserved_scope, "$.scopes[2].name"),
    (break_server_name_with_capitals, "$.server.name"),
    (break_long_instructions, "$.server.instructions"),
    (break_long_status_line, "$.tools[2].widget.invoking"),
    (break_input_schema_not_object, "$.tools[2].inputSchema"),
    (break_input_schema_with_ref, "$.tools[2].inputSchema.properties.id"),
    (break_input_schema_with_one_of, "$.tools[0].inputSchema"),
    (break_method_head, "$.tools[2].call.method"),
    (break_relative_path, "$.tools[2].call.path"),
    (break_reserved_header, "$.tools[2].call.headers"),
    (break_header_name_not_a_token, "$.tools[2].call.headers"),
    (break_header_value_with_newline, "$.tools[2].call.headers"),
    (break_bad_pointer, "$.tools[2].result.structuredContent"),
    (break_visibility, "$.tools[2].visibility"),
    (break_http_csp_origin, "$.widgets[0].csp.connectDomains[0]"),
]


@pytest.mark.parametrize("breaking, where", BREAKS, ids=[breaking.__name__[len("break_"):] for breaking, _ in BREAKS])
def test_broken_manifest_is_refused_where_it_breaks(validator, breaking, where):
    """Each document is the valid notes example with one mistake, so the refusal can only come
    from that mistake; it must be reported at (or inside) the place of the mistake."""
    document = notes_example()
    assert problems(validator, document) == []
    breaking(document)
    found = problems(validator, document)
    assert found, "the schema accepts it"
    assert any(problem.startswith(where) for problem in found), found

