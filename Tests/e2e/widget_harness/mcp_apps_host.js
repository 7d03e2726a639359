// The MCP Apps host of mcp_apps_host.html (kept out of the page so that it runs under a CSP
// without 'unsafe-inline' scripts, such as the production site's). The frame's srcdoc is the
// widget's HTML as the server builds it (harness.js serverHtml), or with inline=0 the same page
// loading the files by URL.
(function () {
  "use strict";
  var H = window.HarnessWidgets;
  var params = new URLSearchParams(location.search);
  var kit = H.kit();
  var frame = document.getElementById("widget");
  var service = kit.createService(H.fixtureName);
  var nextId = 1000;
  var waiting = {};
  var context = {
    theme: params.get("theme") || "light",
    displayMode: params.get("displayMode") || "inline",
    availableDisplayModes: ["inline", "fullscreen", "pip"],
    locale: "en-US",
    platform: "web",
  };
  if (params.has("maxHeight")) context.containerDimensions = { maxHeight: Number(params.get("maxHeight")) };
  document.documentElement.classList.toggle("dark", context.theme === "dark");

  function post(message) {
    var full = { jsonrpc: "2.0" };
    Object.keys(message).forEach(function (key) { full[key] = message[key]; });
    frame.contentWindow.postMessage(full, "*");
  }
  function notify(method, params) { post({ method: method, params: params }); }

  var harness = {
    widget: H.widgetId,
    /** The widget's files once loaded ({id, scriptUrl, script, styleUrl, style}) and the srcdoc. */
    files: null,
    html: null,
    service: service,
    messages: [],
    initializeRequests: [],
    initialized: false,
    sizes: [],
    context: context,
    sendToolResult: function (result) { notify("ui/notifications/tool-result", result); },
    /** Changes the host context and tells the widget (ui/notifications/host-context-changed). */
    setContext: function (partial) {
      Object.keys(partial).forEach(function (key) { context[key] = partial[key]; });
      document.documentElement.classList.toggle("dark", context.theme === "dark");
      notify("ui/notifications/host-context-changed", partial);
    },
    setTheme: function (theme) { harness.setContext({ theme: theme }); },
    /** A request from the host to the widget; resolves to the whole JSON-RPC response. */
    request: function (method, requestParams) {
      var id = nextId++;
      return new Promise(function (resolve) {
        waiting[id] = resolve;
        post({ id: id, method: method, params: requestParams || {} });
      });
    },
  };
  window.harness = harness;

  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || message.jsonrpc !== "2.0") return;
    harness.messages.push(JSON.parse(JSON.stringify(message)));
    var method = message.method;
    if (method === undefined) {
      var resolve = waiting[message.id];
      if (resolve) {
        delete waiting[message.id];
        resolve(message);
      }
      return;
    }
    if (method === "ui/initialize") {
      harness.initializeRequests.push(message.params);
      post({ id: message.id, result: {
        protocolVersion: "2026-01-26",
        hostInfo: { name: "widget-harness", version: "1.0.0" },
        hostCapabilities: { serverTools: {} },
        hostContext: context,
      } });
    } else if (method === "ui/notifications/initialized") {
      harness.initialized = true;
      if (params.get("autoResult") !== "0") harness.sendToolResult(kit.initialResult(H.fixtureName));
    } else if (method === "ui/notifications/size-changed") {
      harness.sizes.push(message.params);
      if (message.params && message.params.height > 0) frame.style.height = message.params.height + "px";
    } else if (method === "tools/call") {
      var call = message.params || {};
      service.call(call.name, call.arguments).then(
        function (result) { post({ id: message.id, result: result }); },
        function (error) { post({ id: message.id, error: { code: -32000, message: error.message } }); }
      );
    } else if (message.id !== undefined) {
      post({ id: message.id, error: { code: -32601, message: "Method not found: " + method } });
    }
  });

  H.loadFiles().then(function (files) {
    harness.files = files;
    frame.title = files.id + " widget";
    harness.html = H.inline ? H.serverHtml(files.script, files.style) : H.linkedHtml(files);
    frame.srcdoc = harness.html;
  }, H.showFailure);
})();
