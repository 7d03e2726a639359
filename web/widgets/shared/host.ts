// The two ways a host talks to a widget: ChatGPT's window.openai, or the MCP Apps JSON-RPC
// bridge over postMessage to window.parent (SEP-1865, protocol 2026-01-26). Every widget uses
// this module: connectHost() picks the bridge, reports what the host says as HostUpdates and
// returns a Host for tool calls and widget state. See web/README.md ("The host bridge").

export type Json = Record<string, unknown>;

export type ToolResult = { structured: Json | null; isError: boolean; text: string };

/** What the host told us; every field is optional because updates are partial. */
export type HostUpdate = {
  toolOutput?: Json | null;
  toolError?: string;
  theme?: unknown;
  displayMode?: unknown;
  maxHeight?: unknown;
  locale?: unknown;
  widgetState?: unknown;
};

/** Who the widget is, for the MCP Apps handshake (ui/initialize appInfo). */
export type AppInfo = { name: string; version: string };

export type Host = {
  kind: "openai" | "mcp-apps";
  callTool(name: string, args: Json): Promise<ToolResult>;
  saveState(state: Json): void;
};

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A CallToolResult (or ChatGPT's callTool answer) reduced to what the widget uses. */
export function normalizeResult(raw: unknown): ToolResult {
  if (!isObject(raw)) return { structured: null, isError: false, text: "" };
  let structured = isObject(raw.structuredContent) ? raw.structuredContent : null;
  const text = Array.isArray(raw.content)
    ? raw.content
        .filter((block): block is Json => isObject(block) && block.type === "text" && typeof block.text === "string")
        .map((block) => block.text as string)
        .join("\n")
    : "";
  if (structured === null && typeof raw.result === "string") {
    try {
      const parsed: unknown = JSON.parse(raw.result);
      if (isObject(parsed)) structured = isObject(parsed.structuredContent) ? parsed.structuredContent : parsed;
    } catch {
      // not JSON: keep it as text
    }
  }
  return { structured, isError: raw.isError === true, text };
}

type OpenAiGlobal = {
  toolOutput?: unknown;
  theme?: unknown;
  displayMode?: unknown;
  maxHeight?: unknown;
  locale?: unknown;
  widgetState?: unknown;
  callTool?: (name: string, args: Json) => Promise<unknown>;
  setWidgetState?: (state: Json) => Promise<void> | void;
};

function openAiUpdate(source: Json | OpenAiGlobal): HostUpdate {
  const update: HostUpdate = {};
  if ("toolOutput" in source) update.toolOutput = isObject(source.toolOutput) ? source.toolOutput : null;
  if ("theme" in source) update.theme = source.theme;
  if ("displayMode" in source) update.displayMode = source.displayMode;
  if ("maxHeight" in source) update.maxHeight = source.maxHeight;
  if ("locale" in source) update.locale = source.locale;
  if ("widgetState" in source) update.widgetState = source.widgetState;
  return update;
}

function connectOpenAi(openai: OpenAiGlobal, onUpdate: (update: HostUpdate) => void): Host {
  window.addEventListener("openai:set_globals", (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (isObject(detail) && isObject(detail.globals)) onUpdate(openAiUpdate(detail.globals));
  });
  onUpdate(openAiUpdate(openai));
  return {
    kind: "openai",
    async callTool(name, args) {
      if (typeof openai.callTool !== "function") throw new Error("This host cannot run tools.");
      return normalizeResult(await openai.callTool(name, args));
    },
    saveState(state) {
      try {
        Promise.resolve(openai.setWidgetState?.(state)).catch(() => undefined);
      } catch {
        // the host refused; selection stays local
      }
    },
  };
}

const REQUEST_TIMEOUT_MS = 60000;

function hostContextUpdate(context: unknown): HostUpdate {
  const update: HostUpdate = {};
  if (!isObject(context)) return update;
  if ("theme" in context) update.theme = context.theme;
  if ("displayMode" in context) update.displayMode = context.displayMode;
  if ("locale" in context) update.locale = context.locale;
  const dimensions = context.containerDimensions;
  if (isObject(dimensions) && "maxHeight" in dimensions) update.maxHeight = dimensions.maxHeight;
  return update;
}

function toolResultUpdate(params: unknown): HostUpdate {
  const result = normalizeResult(params);
  const update: HostUpdate = { toolOutput: result.structured };
  if (result.isError) update.toolError = result.text || "The tool failed.";
  return update;
}

function connectMcpApps(app: AppInfo, onUpdate: (update: HostUpdate) => void): Host {
  const parent = window.parent;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const send = (message: Json) => parent.postMessage({ jsonrpc: "2.0", ...message }, "*");

  const request = (method: string, params: Json): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error("The host did not answer."));
      }, REQUEST_TIMEOUT_MS);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      send({ id, method, params });
    });
  };

  window.addEventListener("message", (event) => {
    if (event.source !== parent) return;
    const message: unknown = event.data;
    if (!isObject(message) || message.jsonrpc !== "2.0") return;
    const method = typeof message.method === "string" ? message.method : "";
    if (method === "") {
      // A response to one of our requests.
      const waiter = typeof message.id === "number" ? pending.get(message.id) : undefined;
      if (waiter === undefined) return;
      pending.delete(message.id as number);
      if (isObject(message.error)) {
        waiter.reject(new Error(typeof message.error.message === "string" ? message.error.message : "The host refused."));
      } else {
        waiter.resolve(message.result);
      }
      return;
    }
    if (method === "ui/notifications/tool-result") onUpdate(toolResultUpdate(message.params));
    else if (method === "ui/notifications/host-context-changed") onUpdate(hostContextUpdate(message.params));
    if ("id" in message && message.id !== null) {
      // A request from the host: answer the ones we know, refuse the rest.
      if (method === "ping" || method === "ui/resource-teardown") send({ id: message.id, result: {} });
      else send({ id: message.id, error: { code: -32601, message: "Method not found" } });
    }
  });

  // Tell the host how tall the content is so it can size the frame (after the handshake).
  const reportSize = () => {
    if (typeof ResizeObserver !== "function") return;
    let last = "";
    new ResizeObserver(() => {
      const box = document.body.getBoundingClientRect();
      const width = Math.ceil(box.width);
      const height = Math.ceil(box.height);
      const size = `${width}x${height}`;
      if (size === last) return;
      last = size;
      send({ method: "ui/notifications/size-changed", params: { width, height } });
    }).observe(document.body);
  };

  const initialized = () => {
    send({ method: "ui/notifications/initialized" });
    reportSize();
  };
  request("ui/initialize", {
    appInfo: { name: app.name, version: app.version },
    appCapabilities: {},
    protocolVersion: "2026-01-26",
  }).then((result) => {
    if (isObject(result)) onUpdate(hostContextUpdate(result.hostContext));
    initialized();
  }, initialized);

  return {
    kind: "mcp-apps",
    async callTool(name, args) {
      return normalizeResult(await request("tools/call", { name, arguments: args }));
    },
    saveState() {
      // MCP Apps has no widget state store; the selection lives as long as the frame.
    },
  };
}

/**
 * window.openai when ChatGPT provides it, else the MCP Apps bridge when framed, else nothing.
 * onUpdate runs once at once with what window.openai already holds (ChatGPT), and again for
 * every later change; in MCP Apps it runs after the handshake and for each notification.
 */
export function connectHost(app: AppInfo, onUpdate: (update: HostUpdate) => void): Host | null {
  const openai = (window as unknown as { openai?: OpenAiGlobal }).openai;
  if (isObject(openai)) return connectOpenAi(openai, onUpdate);
  if (window.parent !== window) return connectMcpApps(app, onUpdate);
  return null;
}

/** The text of a structuredContent `error` member ("message" or {message}/{error_description}). */
export function errorText(value: unknown): string {
  if (typeof value === "string") return value;
  if (isObject(value)) {
    if (typeof value.message === "string") return value.message;
    if (typeof value.error_description === "string") return value.error_description;
  }
  return value ? "Something went wrong." : "";
}

/** The host's look on <html>: data-theme ("light"/"dark") and data-display-mode, when known. */
export function applyHostLook(theme: string, displayMode: string): void {
  const html = document.documentElement;
  if (theme !== "") html.setAttribute("data-theme", theme);
  if (displayMode !== "") html.setAttribute("data-display-mode", displayMode);
}
