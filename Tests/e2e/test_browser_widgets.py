"""The widgets in a real browser (headless Chromium), in the two harness hosts of
`widget_harness/`: a `window.openai` emulation (ChatGPT) and an MCP Apps host speaking the
postMessage bridge, each showing the widget's page as the server builds it.

ListView: rendering, tool calls and re-rendering, an output with only an item (the list then
comes from get-items), selection (kept in the host's widget state where there is one), theme,
display modes (inline, fullscreen, pip, and changes at run time), empty and error output, failed
actions, and the MCP Apps bridge's own requests. NoteDetail: the note, text that looks like HTML
staying text, dates, empty and error output, theme. The widget screenshots go to
docs/screenshots/. The widget under a Content-Security-Policy is in test_browser_csp.py.
Shared helpers: browser_support.py; fixtures (browser, harness server): conftest.py.
"""
import json

import pytest
from playwright.sync_api import expect

from browser_support import HOSTS, ITEM_TITLES, WidgetHost, luminance, needs_chromium, screenshot

pytestmark = needs_chromium


# ---------------------------------------------------------------------------------------------
# ListView widget in both hosts


@pytest.fixture(params=HOSTS)
def widget(request, open_browsing, static_server):
    browsing = open_browsing(viewport={"width": 520, "height": 640})
    host = WidgetHost(browsing.page, request.param, static_server)
    yield host
    assert browsing.page_errors == [] and browsing.escaped == []


def test_widget_renders_the_items(widget):
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)
    expect(widget.rows.locator(".lv-title")).to_have_text(ITEM_TITLES)
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Open", "Done", "Open"])
    expect(widget.ui.get_by_role("heading", name="Items")).to_be_visible()
    expect(widget.ui.locator(".lv-count")).to_have_text("2 open · 1 done")
    expect(widget.action("Complete", "Buy milk")).to_be_visible()
    expect(widget.action("Reopen", "Write the quarterly report")).to_be_visible()
    expect(widget.ui.get_by_role("button", name="Delete", exact=False)).to_have_count(3)
    if widget.kind == "mcp-apps":
        init = widget.js("harness.initializeRequests")
        assert init == [{"appInfo": {"name": "list-view", "version": "1.0.0"}, "appCapabilities": {},
                         "protocolVersion": "2026-01-26"}]
        assert widget.js("harness.initialized") is True
        widget.page.wait_for_function("harness.sizes.some(s => s.height > 100)")
        methods = [m.get("method") for m in widget.js("harness.messages")]
        assert methods.index("ui/initialize") < methods.index("ui/notifications/initialized")


def test_widget_action_calls_the_tool_and_rerenders(widget):
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)

    # All action buttons are disabled while a call runs.
    widget.js("harness.service.hold = true")
    widget.action("Complete", "Buy milk").click()
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(6)
    expect(widget.ui.get_by_role("status")).to_have_text("Completing “Buy milk”…")
    widget.js("harness.service.release()")
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    expect(widget.action("Reopen", "Buy milk")).to_be_enabled()
    expect(widget.ui.get_by_role("status")).to_have_text("Completed “Buy milk”.")
    expect(widget.ui.locator(".lv-count")).to_have_text("1 open · 2 done")

    # A numeric id goes back as a string; Delete removes the row.
    widget.action("Delete", "Write the quarterly report").click()
    expect(widget.rows).to_have_count(2)
    expect(widget.rows.locator(".lv-title")).to_have_text(["Buy milk", "Call Alice about the trip"])

    widget.action("Reopen", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Open")
    assert widget.tool_calls() == [
        {"name": "item-action", "args": {"item_id": "a1", "action": "complete"}},
        {"name": "item-action", "args": {"item_id": "2", "action": "delete"}},
        {"name": "item-action", "args": {"item_id": "a1", "action": "reopen"}},
    ]

    # The result's items replace the list (here the server knows of an item the widget did not).
    widget.js("""harness.service.nextResult = {structuredContent: {
        item: {id: "c3", title: "Call Alice about the trip", status: "done"},
        items: [{id: "c3", title: "Call Alice about the trip", status: "done"},
                {id: "n9", title: "Added elsewhere", status: "open"}]}}""")
    widget.action("Complete", "Call Alice about the trip").click()
    expect(widget.rows.locator(".lv-title")).to_have_text(["Call Alice about the trip", "Added elsewhere"])
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Done", "Open"])

    # Only "item" in the result: that row is replaced.
    widget.js("""harness.service.nextResult = {structuredContent: {
        item: {id: "n9", title: "Added elsewhere (renamed)", status: "done"}}}""")
    widget.action("Complete", "Added elsewhere").click()
    expect(widget.rows.locator(".lv-title")).to_have_text(["Call Alice about the trip", "Added elsewhere (renamed)"])


def test_widget_item_only_output_loads_the_list(widget):
    """item-action's output is {item} alone: the widget shows it, then calls get-items for the list."""
    widget.open(fixture="item-only")
    expect(widget.rows.locator(".lv-title")).to_have_text(ITEM_TITLES)
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Open", "Done", "Done"])
    expect(widget.ui.get_by_role("status")).to_have_text("")
    assert widget.tool_calls() == [{"name": "get-items", "args": {}}]
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    assert widget.tool_calls()[-1] == {"name": "item-action", "args": {"item_id": "a1", "action": "complete"}}


def test_widget_item_only_output_while_the_list_loads(open_browsing, static_server):
    """While get-items runs the item is shown and the actions wait (MCP Apps, where the test
    decides when the tool result arrives)."""
    widget = WidgetHost(open_browsing().page, "mcp-apps", static_server).open(fixture="item-only", autoResult="0")
    widget.page.wait_for_function("harness.initialized === true")
    widget.js("harness.service.hold = true")
    widget.js("harness.sendToolResult(HarnessItems.initialResult('item-only'))")
    expect(widget.rows.locator(".lv-title")).to_have_text(["Call Alice about the trip"])
    expect(widget.ui.get_by_role("status")).to_have_text("Loading your items…")
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(2)
    widget.js("harness.service.release()")
    expect(widget.rows).to_have_count(3)
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(0)
    expect(widget.ui.get_by_role("status")).to_have_text("")


def test_widget_item_only_output_when_the_list_fails(widget):
    """A failed get-items keeps the item on screen and says why."""
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)
    widget.js("harness.service.failNext = 'Backend down'")
    output = "{item: {id: 'a1', title: 'Buy milk', status: 'done'}}"
    if widget.kind == "openai":
        widget.js(f"harness.setGlobals({{toolOutput: {output}}})")
    else:
        widget.js(f"harness.sendToolResult({{structuredContent: {output}}})")
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not load your items: Backend down")
    expect(widget.rows.locator(".lv-title")).to_have_text(["Buy milk"])
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(0)


def test_widget_openai_accepts_a_result_string(open_browsing, static_server):
    """ChatGPT's callTool may answer {result: "<JSON>"} instead of a CallToolResult."""
    widget = WidgetHost(open_browsing().page, "openai", static_server).open(fixture="three")
    widget.js("""harness.service.nextResult = {result: JSON.stringify({structuredContent: {
        item: {id: "a1", title: "Buy milk", status: "done"}}})}""")
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")


def test_widget_selection(widget):
    widget.open(fixture="three")
    title = widget.ui.get_by_role("button", name="Call Alice about the trip", exact=True)
    expect(title).to_have_attribute("aria-pressed", "false")
    title.click()
    expect(title).to_have_attribute("aria-pressed", "true")
    expect(widget.row("Call Alice about the trip")).to_have_class("lv-item is-selected")

    # Selection survives a re-render from a tool result.
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    expect(title).to_have_attribute("aria-pressed", "true")

    if widget.kind == "openai":
        assert widget.js("harness.setWidgetStateCalls") == [{"selectedId": "c3"}]
        widget.page.reload()
        # Restored from window.openai.widgetState (the harness keeps it like ChatGPT does).
        expect(title).to_have_attribute("aria-pressed", "true")
        assert widget.js("window.openai.widgetState") == {"selectedId": "c3"}
        title.click()
        expect(title).to_have_attribute("aria-pressed", "false")
        assert widget.js("harness.setWidgetStateCalls") == [{"selectedId": None}]
        # Deleting the selected item clears the selection in the host too.
        widget.ui.get_by_role("button", name="Buy milk", exact=True).click()
        widget.action("Delete", "Buy milk").click()
        expect(widget.rows).to_have_count(2)
        assert widget.js("harness.setWidgetStateCalls")[-1] == {"selectedId": None}
        widget.page.reload()
        expect(widget.ui.locator("[aria-pressed=true]")).to_have_count(0)
    else:
        # MCP Apps has no widget state store: selection lives in the frame only.
        widget.page.reload()
        expect(widget.rows).to_have_count(3)
        expect(widget.ui.locator("[aria-pressed=true]")).to_have_count(0)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_widget_theme_follows_the_host(widget, theme):
    other = "dark" if theme == "light" else "light"
    widget.open(fixture="three", theme=theme)
    expect(widget.rows).to_have_count(3)
    expect(widget.html).to_have_attribute("data-theme", theme)
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (luminance(background) < 60) == (theme == "dark"), background
    if widget.kind == "openai":
        # Screenshots with the second item selected, as a user would see it.
        widget.ui.get_by_role("button", name="Write the quarterly report", exact=True).click()
        widget.page.mouse.move(0, 0)
        widget.page.locator(":focus").evaluate("element => element.blur()")
        screenshot(widget.ui.locator(".lv"), f"widget-{theme}.png")
    widget.js(f"harness.setTheme({json.dumps(other)})")
    expect(widget.html).to_have_attribute("data-theme", other)
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (luminance(background) < 60) == (other == "dark"), background


def test_widget_without_host_theme_follows_the_system(open_browsing, static_server):
    page = open_browsing(color_scheme="dark").page
    widget = WidgetHost(page, "openai", static_server).open(fixture="three", theme="none")
    expect(widget.rows).to_have_count(3)
    assert widget.html.get_attribute("data-theme") is None
    background = widget.ui.locator(".lv").evaluate("element => getComputedStyle(element).backgroundColor")
    assert luminance(background) < 60, background


def widget_layout(widget):
    """Where the widget's box sits in its own document (page or frame)."""
    return widget.ui.locator(".lv").evaluate("""element => {
        const box = element.getBoundingClientRect();
        return {left: box.left, width: box.width, page: document.documentElement.clientWidth,
                padding: getComputedStyle(element).paddingLeft};
    }""")


def assert_fills_the_width(layout):
    assert layout["left"] == 0 and layout["width"] == layout["page"] and layout["padding"] == "12px", layout


def assert_centred_and_widened(layout):
    assert layout["page"] > 800, layout  # wide enough for the 760 px column to show
    assert layout["width"] == 760 and layout["padding"] == "20px", layout
    assert abs(layout["left"] - (layout["page"] - 760) / 2) <= 1, layout


@pytest.mark.parametrize("kind", HOSTS)
@pytest.mark.parametrize("mode", ["inline", "fullscreen", "pip"])
def test_widget_layout_follows_the_display_mode(open_browsing, static_server, kind, mode):
    """inline and pip fill the host's width; fullscreen centres a 760 px column with more padding."""
    browsing = open_browsing(viewport={"width": 1000, "height": 700})
    widget = WidgetHost(browsing.page, kind, static_server).open(fixture="three", displayMode=mode)
    expect(widget.rows).to_have_count(3)
    expect(widget.html).to_have_attribute("data-display-mode", mode)
    if mode == "fullscreen":
        assert_centred_and_widened(widget_layout(widget))
    else:
        assert_fills_the_width(widget_layout(widget))
    assert browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("kind", HOSTS)
def test_widget_follows_a_display_mode_change_at_run_time(open_browsing, static_server, kind):
    """openai:set_globals (ChatGPT) or ui/notifications/host-context-changed (MCP Apps) with only
    displayMode: the layout changes, the items, the selection and the theme stay."""
    browsing = open_browsing(viewport={"width": 1000, "height": 700})
    widget = WidgetHost(browsing.page, kind, static_server).open(fixture="three", theme="dark", displayMode="inline")
    change = "harness.setGlobals" if kind == "openai" else "harness.setContext"
    expect(widget.rows).to_have_count(3)
    assert_fills_the_width(widget_layout(widget))
    title = widget.ui.get_by_role("button", name="Buy milk", exact=True)
    title.click()

    widget.js(f'{change}({{displayMode: "fullscreen"}})')
    expect(widget.html).to_have_attribute("data-display-mode", "fullscreen")
    assert_centred_and_widened(widget_layout(widget))
    expect(widget.rows.locator(".lv-title")).to_have_text(ITEM_TITLES)
    expect(title).to_have_attribute("aria-pressed", "true")
    expect(widget.html).to_have_attribute("data-theme", "dark")

    widget.js(f'{change}({{displayMode: "pip"}})')
    expect(widget.html).to_have_attribute("data-display-mode", "pip")
    assert_fills_the_width(widget_layout(widget))

    widget.js(f'{change}({{displayMode: "inline"}})')
    expect(widget.html).to_have_attribute("data-display-mode", "inline")
    assert_fills_the_width(widget_layout(widget))
    expect(widget.rows).to_have_count(3)
    # A value that is not a string is ignored: the last mode stays.
    widget.js(f"{change}({{displayMode: 42}})")
    widget.js(f'{change}({{theme: "light"}})')
    expect(widget.html).to_have_attribute("data-theme", "light")
    expect(widget.html).to_have_attribute("data-display-mode", "inline")
    assert browsing.page_errors == [] and browsing.escaped == []


@pytest.mark.parametrize("fixture", ["empty", "none"])
def test_widget_empty_list(widget, fixture):
    widget.open(fixture=fixture)
    expect(widget.ui.get_by_text("No items yet")).to_be_visible()
    expect(widget.rows).to_have_count(0)
    expect(widget.ui.get_by_role("alert")).to_have_count(0)


def test_widget_error_output(widget):
    widget.open(fixture="error")
    expect(widget.ui.get_by_role("alert")).to_have_text("The item service is unavailable")
    expect(widget.ui.get_by_text("No items to show")).to_be_visible()


def test_widget_mcp_tool_error_result(open_browsing, static_server):
    widget = WidgetHost(open_browsing().page, "mcp-apps", static_server).open(fixture="tool-error")
    expect(widget.ui.get_by_role("alert")).to_have_text("Listing items failed: backend timed out")


def test_widget_failed_actions_show_a_message(widget):
    widget.open(fixture="three")
    expect(widget.rows).to_have_count(3)
    # A CallToolResult with isError.
    widget.js("harness.service.failNext = 'Item is locked'")
    widget.action("Complete", "Buy milk").click()
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not complete “Buy milk”: Item is locked")
    expect(widget.action("Complete", "Buy milk")).to_be_enabled()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Open")
    # structuredContent.error.
    widget.js("harness.service.nextResult = {structuredContent: {error: {message: 'Quota exceeded'}}}")
    widget.action("Delete", "Buy milk").click()
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not delete “Buy milk”: Quota exceeded")
    expect(widget.rows).to_have_count(3)
    # A transport failure: a rejected callTool (openai) or a JSON-RPC error (MCP Apps).
    widget.js("harness.service.rejectNext = 'Connection lost'")
    widget.action("Reopen", "Write the quarterly report").click()
    expect(widget.ui.get_by_role("alert")).to_have_text("Could not reopen “Write the quarterly report”: Connection lost")
    expect(widget.ui.locator(".lv-actions button:disabled")).to_have_count(0)
    # The next successful action clears the message.
    widget.action("Complete", "Buy milk").click()
    expect(widget.row("Buy milk").locator(".lv-badge")).to_have_text("Done")
    expect(widget.ui.get_by_role("alert")).to_have_count(0)


def test_mcp_bridge_loading_state_and_host_requests(open_browsing, static_server):
    widget = WidgetHost(open_browsing().page, "mcp-apps", static_server).open(autoResult="0", theme="dark")
    page = widget.page
    page.wait_for_function("harness.initialized === true")
    expect(widget.ui.get_by_text("Loading…")).to_be_visible()
    expect(widget.html).to_have_attribute("data-theme", "dark")
    assert page.evaluate("harness.request('ping')")["result"] == {}
    assert page.evaluate("harness.request('ui/resource-teardown')")["result"] == {}
    unknown = page.evaluate("harness.request('ui/no-such-method')")
    assert unknown["error"]["code"] == -32601 and "result" not in unknown
    page.evaluate("harness.sendToolResult(HarnessItems.initialResult('three'))")
    expect(widget.rows).to_have_count(3)
    page.evaluate("""harness.sendToolResult({structuredContent: {items: [{id: 7, title: "", status: "weird"}]}})""")
    expect(widget.rows.locator(".lv-title")).to_have_text(["(untitled)"])
    expect(widget.rows.locator(".lv-badge")).to_have_text(["Open"])


# ---------------------------------------------------------------------------------------------
# NoteDetail widget in both hosts


@pytest.fixture(params=HOSTS)
def note(request, open_browsing, static_server):
    browsing = open_browsing(viewport={"width": 520, "height": 640})
    host = WidgetHost(browsing.page, request.param, static_server, widget="note-detail")
    yield host
    assert browsing.page_errors == [] and browsing.escaped == []


def test_note_detail_renders_the_note(note):
    note.open(fixture="note")
    expect(note.ui.get_by_role("heading", name="Trip to Lisbon")).to_be_visible()
    expect(note.ui.get_by_role("list", name="Tags").get_by_role("listitem")).to_have_text(["travel", "family"])
    expect(note.ui.locator(".nd-body")).to_have_text("Book the train by Friday.\nAsk Alice about the hotel.")
    expect(note.ui.locator(".nd-meta time")).to_have_text("2 hours ago")
    assert note.ui.locator(".nd-meta time").get_attribute("datetime").endswith("Z")
    assert note.js("harness.service.calls") == []
    if note.kind == "mcp-apps":
        assert note.js("harness.initializeRequests")[0]["appInfo"] == {"name": "note-detail", "version": "1.0.0"}
        # The frame holds the page exactly as the server builds it, style included.
        html = note.js("harness.html")
        assert html.startswith('<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n')
        assert "<style>\n" + note.js("harness.files.style") + "\n</style>\n" in html


def test_note_detail_keeps_markup_as_text(note):
    note.open(fixture="markup")
    expect(note.ui.get_by_role("heading", name="<b>Not bold</b>")).to_be_visible()
    expect(note.ui.locator(".nd-body")).to_have_text('<img src=x onerror="window.injected = true"> stays text')
    expect(note.ui.locator(".nd-tag")).to_have_text(["<i>tag</i>"])
    expect(note.ui.locator("img, b, i")).to_have_count(0)
    expect(note.ui.locator(".nd-meta")).to_have_count(0)  # "not a date" is left out


def test_note_detail_old_date_and_empty_states(note):
    note.open(fixture="old")
    expect(note.ui.locator(".nd-meta time")).to_have_text("March 12, 2025")
    expect(note.ui.locator(".nd-tags")).to_have_count(0)
    note.open(fixture="empty")
    expect(note.ui.get_by_text("No note to show")).to_be_visible()
    note.open(fixture="error")
    expect(note.ui.get_by_role("alert")).to_have_text("The note service is unavailable")


def test_note_detail_tool_error_shows_its_text(open_browsing, static_server):
    note = WidgetHost(open_browsing().page, "mcp-apps", static_server, widget="note-detail").open(fixture="tool-error")
    expect(note.ui.get_by_role("alert")).to_have_text("There is no note n-404.")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_note_detail_theme_follows_the_host(note, theme):
    other = "dark" if theme == "light" else "light"
    note.open(fixture="note", theme=theme)
    expect(note.html).to_have_attribute("data-theme", theme)
    background = note.ui.locator(".nd").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (luminance(background) < 60) == (theme == "dark"), background
    note.js(f"harness.setTheme({json.dumps(other)})")
    expect(note.html).to_have_attribute("data-theme", other)
    background = note.ui.locator(".nd").evaluate("element => getComputedStyle(element).backgroundColor")
    assert (luminance(background) < 60) == (other == "dark"), background
