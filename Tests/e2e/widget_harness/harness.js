// What both harness pages (openai.html, mcp_apps_host.html) share: which widget to show, the
// simulated tools behind it, and the widget's page as the server builds it
// (Sources/MCPEndpoint/WidgetHTML.swift): the script and the optional style inlined.
//
// Query (both pages):
//   widget=<id>         the widget: widgets-dist/<id>.js, and <id>.css when there is one
//                       (default list-view); script=<file> / style=<file> name other files
//   fixture=<name>      a named tool output of that widget's kit (items.js, notes.js)
//   output=<JSON>       the tool output (structuredContent) itself, instead of a fixture
//   inline=0            load the files by URL (<script type="module" src>, <link rel=stylesheet>)
//                       instead of inlining them, for a CSP without 'unsafe-inline' scripts
//
// A kit (window.HarnessWidgets[id]) has fixture(name) -> structuredContent,
// initialResult(name) -> the CallToolResult that opened the widget, and createService(name) ->
// the simulated tools (see items.js). A widget without a kit gets the generic one: no fixtures,
// every tool call answers an error.
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function textResult(text, isError) {
    var result = { content: [{ type: "text", text: text }] };
    if (isError) result.isError = true;
    return result;
  }

  /** The CallToolResult of a tool that returned `structured` ("tool-error": a failed call). */
  function resultOf(structured, errorText) {
    if (errorText) return textResult(errorText, true);
    return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
  }

  var generic = {
    fixture: function () { return {}; },
    initialResult: function (name) {
      return name === "tool-error" ? resultOf(null, "The tool failed") : resultOf({});
    },
    createService: function () {
      var service = {
        calls: [],
        call: function (toolName, args) {
          service.calls.push({ name: toolName, args: copy(args === undefined ? null : args) });
          return Promise.resolve(textResult("Unknown tool " + toolName, true));
        },
      };
      return service;
    },
  };

  var kits = {};
  var widgetId = params.get("widget") || "list-view";
  var fixtureName = params.get("fixture") || "";

  /** The kit of the widget, with output=<JSON> taking the place of its fixtures. */
  function kit() {
    var chosen = Object.prototype.hasOwnProperty.call(kits, widgetId) ? kits[widgetId] : generic;
    if (!params.has("output")) return chosen;
    var output = JSON.parse(params.get("output"));
    return {
      fixture: function () { return copy(output); },
      initialResult: function () { return resultOf(copy(output)); },
      createService: chosen.createService,
    };
  }

  function escapeClosingTag(text, tag) {
    return text.replace(new RegExp("</(" + tag + ")", "gi"), "<\\/$1");
  }

  function escapeCommentOpen(text) {
    return text.split("<!--").join("<\\!--");
  }

  /** WidgetHTML.render(script:style:), byte for byte. */
  function serverHtml(script, style) {
    var html = '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n';
    html += '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
    if (style) html += "<style>\n" + escapeClosingTag(style, "style") + "\n</style>\n";
    html += '</head>\n<body>\n<div id="root"></div>\n';
    html += '<script type="module">\n' + escapeClosingTag(escapeCommentOpen(script), "script") + "\n</script>\n";
    html += "</body>\n</html>\n";
    return html;
  }

  /** The same page, the files referenced by absolute URL instead of inlined. */
  function linkedHtml(files) {
    var html = '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n';
    html += '<meta name="viewport" content="width=device-width, initial-scale=1">\n';
    if (files.style !== null) html += '<link rel="stylesheet" href="' + files.styleUrl + '">\n';
    html += '</head>\n<body>\n<div id="root"></div>\n';
    html += '<script type="module" src="' + files.scriptUrl + '"></script>\n';
    html += "</body>\n</html>\n";
    return html;
  }

  function fetchText(url) {
    return fetch(url, { cache: "no-store" }).then(function (response) {
      return response.ok ? response.text() : null;
    });
  }

  /** Resolves to {id, scriptUrl, script, styleUrl, style|null}; rejects when there is no script. */
  function loadFiles() {
    var scriptUrl = new URL("/widgets/" + encodeURIComponent(params.get("script") || widgetId + ".js"), location.href).href;
    var styleUrl = new URL("/widgets/" + encodeURIComponent(params.get("style") || widgetId + ".css"), location.href).href;
    return Promise.all([fetchText(scriptUrl), fetchText(styleUrl)]).then(function (texts) {
      if (texts[0] === null) throw new Error("no widget script at " + scriptUrl);
      // The server leaves an empty style out.
      return { id: widgetId, scriptUrl: scriptUrl, script: texts[0], styleUrl: styleUrl, style: texts[1] || null };
    });
  }

  function showFailure(error) {
    var message = document.createElement("p");
    message.id = "harness-error";
    message.textContent = "Harness: " + error.message;
    document.body.appendChild(message);
    throw error;
  }

  window.HarnessWidgets = {
    widgetId: widgetId,
    fixtureName: fixtureName,
    inline: params.get("inline") !== "0",
    register: function (id, widgetKit) { kits[id] = widgetKit; },
    kit: kit,
    resultOf: resultOf,
    textResult: textResult,
    copy: copy,
    serverHtml: serverHtml,
    linkedHtml: linkedHtml,
    loadFiles: loadFiles,
    showFailure: showFailure,
  };
})();
