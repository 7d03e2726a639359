// The note-detail widget's kit for the harness pages (see harness.js): fixtures of the
// structuredContent {id, title, body, tags, updatedAt}. The widget calls no tool; the service
// only records calls. Fixtures: note (default; updated two hours before the page opened),
// old (a date more than a week back), markup (a body and tags that look like HTML), empty ({}),
// error ({error: {message}}), tool-error (a failed call with a text reason).
(function () {
  "use strict";
  var H = window.HarnessWidgets;
  var opened = Date.now();

  function fixtures() {
    return {
      note: {
        id: "n-42",
        title: "Trip to Lisbon",
        body: "Book the train by Friday.\nAsk Alice about the hotel.",
        tags: ["travel", "family"],
        updatedAt: new Date(opened - 2 * 3600 * 1000).toISOString(),
      },
      old: { id: "n-7", title: "Recipes", body: "Soup.", tags: [], updatedAt: "2025-03-12T09:30:00Z" },
      markup: {
        id: "n-9",
        title: "<b>Not bold</b>",
        body: "<img src=x onerror=\"window.injected = true\"> stays text",
        tags: ["<i>tag</i>"],
        updatedAt: "not a date",
      },
      empty: {},
      error: { error: { message: "The note service is unavailable" } },
    };
  }

  function fixture(name) {
    var all = fixtures();
    return H.copy(Object.prototype.hasOwnProperty.call(all, name) ? all[name] : all.note);
  }

  function initialResult(name) {
    if (name === "tool-error") return H.resultOf(null, "There is no note n-404.");
    return H.resultOf(fixture(name));
  }

  function createService() {
    var service = {
      calls: [],
      call: function (toolName, args) {
        service.calls.push({ name: toolName, args: H.copy(args === undefined ? null : args) });
        return Promise.resolve(H.textResult("Unknown tool " + toolName, true));
      },
    };
    return service;
  }

  window.HarnessNotes = { fixture: fixture, initialResult: initialResult, createService: createService };
  H.register("note-detail", window.HarnessNotes);
})();
