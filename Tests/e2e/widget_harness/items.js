// The list-view widget's kit for the harness pages (openai.html and mcp_apps_host.html; see
// harness.js): its fixtures and its tools, "get-items" ({items}) and "item-action" ({item}, as
// the server answers it), simulated. The service holds the items a server would hold, answers
// CallToolResult-like objects ({content, structuredContent, isError?}) and records every call.
//
// Fixtures: three (default), empty, none, error, tool-error (a failed call), and item-only: the
// output of item-action, {item} alone (c3 completed), with the service holding the three items.
//
// Test hooks on a service (set them with page.evaluate):
//   failNext = "reason"   the next call answers {isError: true, content: [{type: "text", text: reason}]}
//   rejectNext = "reason" the next call fails at the transport level (a rejected promise for
//                         window.openai, a JSON-RPC error for MCP Apps)
//   nextResult = {...}    the next call answers exactly this object
//   hold = true           calls wait until release() is called (to see the widget's busy state)
(function () {
  "use strict";

  var FIXTURES = {
    three: {
      items: [
        { id: "a1", title: "Buy milk", status: "open" },
        { id: 2, title: "Write the quarterly report", status: "done" },
        { id: "c3", title: "Call Alice about the trip", status: "open" },
      ],
    },
    empty: { items: [] },
    none: {},
    error: { error: { message: "The item service is unavailable" } },
    "item-only": { item: { id: "c3", title: "Call Alice about the trip", status: "done" } },
  };

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  /** The structuredContent the tool that opened the widget returned. */
  function fixture(name) {
    return copy(Object.prototype.hasOwnProperty.call(FIXTURES, name) ? FIXTURES[name] : FIXTURES.three);
  }

  /** The CallToolResult of that tool ("tool-error": a failed call with a text reason). */
  function initialResult(name) {
    if (name === "tool-error") {
      return { isError: true, content: [{ type: "text", text: "Listing items failed: backend timed out" }] };
    }
    var structured = fixture(name);
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  }

  function textResult(text, isError) {
    var result = { content: [{ type: "text", text: text }] };
    if (isError) result.isError = true;
    return result;
  }

  /** The items the service starts with: the fixture's, or for item-only the list it came from. */
  function serviceItems(name) {
    if (name === "item-only") {
      var items = fixture("three").items;
      items[2].status = "done";
      return items;
    }
    var start = fixture(name);
    return Array.isArray(start.items) ? start.items : [];
  }

  function createService(name) {
    var waiting = [];
    var service = {
      items: serviceItems(name),
      calls: [],
      failNext: "",
      rejectNext: "",
      nextResult: null,
      hold: false,
      release: function () {
        service.hold = false;
        var pending = waiting;
        waiting = [];
        pending.forEach(function (resume) { resume(); });
      },
      /** Resolves to a CallToolResult; rejects with an Error for a transport failure. */
      call: function (toolName, args) {
        service.calls.push({ name: toolName, args: copy(args === undefined ? null : args) });
        var gate = service.hold ? new Promise(function (resume) { waiting.push(resume); }) : Promise.resolve();
        return gate.then(function () { return answer(toolName, args); });
      },
    };

    function answer(toolName, args) {
      if (service.rejectNext) {
        var reason = service.rejectNext;
        service.rejectNext = "";
        throw new Error(reason);
      }
      if (service.nextResult !== null) {
        var result = service.nextResult;
        service.nextResult = null;
        return copy(result);
      }
      if (service.failNext) {
        var failure = service.failNext;
        service.failNext = "";
        return textResult(failure, true);
      }
      if (toolName === "get-items") {
        var list = { items: copy(service.items) };
        return { content: [{ type: "text", text: "You have " + list.items.length + " items." }], structuredContent: list };
      }
      if (toolName !== "item-action") return textResult("Unknown tool " + toolName, true);
      var id = args && args.item_id;
      var index = service.items.findIndex(function (item) { return String(item.id) === id; });
      if (index < 0) return textResult("No item with id " + id, true);
      var item = service.items[index];
      if (args.action === "complete") item.status = "done";
      else if (args.action === "reopen") item.status = "open";
      else if (args.action === "delete") service.items.splice(index, 1);
      else return textResult("Unknown action " + args.action, true);
      var structured = { item: copy(item) };
      return { content: [{ type: "text", text: args.action + " " + id + ": ok" }], structuredContent: structured };
    }

    return service;
  }

  window.HarnessItems = { fixture: fixture, initialResult: initialResult, createService: createService };
  window.HarnessWidgets.register("list-view", window.HarnessItems);
})();
