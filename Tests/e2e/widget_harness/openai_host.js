// The window.openai host of openai.html (kept out of the page so that it runs under a CSP without
// 'unsafe-inline' scripts, such as the production site's). Runs before the widget's script.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var fixtureName = params.get("fixture") || "three";
  var STATE_KEY = "harness.widgetState";
  var stored = sessionStorage.getItem(STATE_KEY);
  var service = HarnessItems.createService(fixtureName);
  var harness = {
    service: service,
    setWidgetStateCalls: [],
    followUps: [],
    /** Changes globals the way ChatGPT does: update window.openai, then openai:set_globals. */
    setGlobals: function (partial) {
      Object.keys(partial).forEach(function (key) { window.openai[key] = partial[key]; });
      window.dispatchEvent(new CustomEvent("openai:set_globals", { detail: { globals: partial } }));
    },
    setTheme: function (theme) { harness.setGlobals({ theme: theme }); },
  };
  window.harness = harness;
  var theme = params.get("theme") || "light";
  window.openai = {
    toolInput: {},
    toolOutput: HarnessItems.fixture(fixtureName),
    toolResponseMetadata: null,
    widgetState: stored ? JSON.parse(stored) : null,
    theme: theme === "none" ? undefined : theme,
    locale: "en-US",
    displayMode: params.get("displayMode") || "inline",
    maxHeight: params.has("maxHeight") ? Number(params.get("maxHeight")) : undefined,
    safeArea: { insets: { top: 0, bottom: 0, left: 0, right: 0 } },
    userAgent: { device: { type: "desktop" }, capabilities: { hover: true, touch: false } },
    setWidgetState: function (state) {
      harness.setWidgetStateCalls.push(JSON.parse(JSON.stringify(state)));
      window.openai.widgetState = state;
      sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
      return Promise.resolve();
    },
    callTool: function (name, args) { return service.call(name, args); },
    sendFollowUpMessage: function (message) { harness.followUps.push(message); return Promise.resolve(); },
    openExternal: function () {},
    requestDisplayMode: function (request) { return Promise.resolve({ mode: request && request.mode }); },
  };
})();
