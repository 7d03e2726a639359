// The window.openai host of openai.html (kept out of the page so that it runs under a CSP without
// 'unsafe-inline' scripts, such as the production site's). Sets up window.openai, then adds the
// widget to this page as the server's HTML has it: its style in <head>, and after <div id="root">
// its script as <script type="module"> (inlined, or by URL with inline=0).
(function () {
  "use strict";
  var H = window.HarnessWidgets;
  var params = new URLSearchParams(location.search);
  var kit = H.kit();
  var STATE_KEY = "harness.widgetState." + H.widgetId;
  var stored = sessionStorage.getItem(STATE_KEY);
  var service = kit.createService(H.fixtureName);
  var harness = {
    widget: H.widgetId,
    /** The widget's files once loaded ({id, scriptUrl, script, styleUrl, style}). */
    files: null,
    loaded: false,
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
    toolOutput: kit.fixture(H.fixtureName),
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

  function addWidget(files) {
    harness.files = files;
    if (files.style !== null) {
      var style;
      if (H.inline) {
        style = document.createElement("style");
        style.textContent = "\n" + files.style + "\n";
      } else {
        style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = files.styleUrl;
      }
      document.head.appendChild(style);
    }
    var script = document.createElement("script");
    script.type = "module";
    if (H.inline) script.textContent = "\n" + files.script + "\n";
    else script.src = files.scriptUrl;
    document.body.appendChild(script);
    harness.loaded = true;
  }

  var parsed = new Promise(function (resolve) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve);
    else resolve();
  });
  Promise.all([H.loadFiles(), parsed]).then(function (results) { addWidget(results[0]); }, H.showFailure);
})();
