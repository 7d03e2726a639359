// ListView widget: the items of the tool's structuredContent, one row each, with Complete /
// Reopen / Delete buttons that call the "item-action" tool. An output with only an `item` (what
// item-action returns) shows that item, then loads the list with the "get-items" tool. Data
// contract: web/README.md. Styles: styles.css (the server inlines it beside the script).
import { h, whenReady, widgetRoot } from "../shared/h";
import { applyHostLook, connectHost, errorText, isObject, type Host, type HostUpdate, type Json } from "../shared/host";

type Status = "open" | "done";
type Item = { id: string; title: string; status: Status };
type Action = "complete" | "reopen" | "delete";

const ACTION_WORDS: Record<Action, { label: string; doing: string; done: string; verb: string }> = {
  complete: { label: "Complete", doing: "Completing", done: "Completed", verb: "complete" },
  reopen: { label: "Reopen", doing: "Reopening", done: "Reopened", verb: "reopen" },
  delete: { label: "Delete", doing: "Deleting", done: "Deleted", verb: "delete" },
};

const state = {
  loaded: false,
  items: [] as Item[],
  error: "",
  status: "",
  busyId: "",
  /** True while the list is being loaded with get-items. */
  loadingList: false,
  selectedId: null as string | null,
  theme: "",
  displayMode: "",
  maxHeight: 0,
  lastOutput: undefined as unknown,
};

let host: Host | null = null;
let root: HTMLElement;
/** The control that had focus when a pending action disabled it; focused again afterwards. */
let restoreKey: string | null = null;
/** Counts the tool outputs seen, so a list load started for an older one is dropped. */
let outputGeneration = 0;

function parseItem(value: unknown): Item | null {
  if (!isObject(value)) return null;
  const id = typeof value.id === "string" || typeof value.id === "number" ? String(value.id) : "";
  if (id === "") return null;
  const title = typeof value.title === "string" && value.title.trim() !== "" ? value.title : "(untitled)";
  return { id, title, status: value.status === "done" ? "done" : "open" };
}

function parseItems(value: unknown): Item[] {
  if (!Array.isArray(value)) return [];
  const items: Item[] = [];
  for (const entry of value) {
    const item = parseItem(entry);
    if (item !== null) items.push(item);
  }
  return items;
}

function applyOutput(output: Json | null, toolError?: string): void {
  const generation = ++outputGeneration;
  state.loaded = true;
  state.loadingList = false;
  state.error = toolError || (output ? errorText(output.error) : "");
  if (output === null || Array.isArray(output.items) || state.error !== "") {
    state.items = output ? parseItems(output.items) : [];
    return;
  }
  // Only an item (item-action's answer): show it, then load the whole list.
  const item = parseItem(output.item);
  state.items = item === null ? [] : [item];
  // Later, not now: window.openai reports the first output before connectHost has returned.
  if (item !== null) void Promise.resolve().then(() => loadList(generation));
}

async function loadList(generation: number): Promise<void> {
  if (host === null || generation !== outputGeneration) return;
  state.loadingList = true;
  state.status = "Loading your items…";
  if (root) render();
  let error = "";
  let items: Item[] | null = null;
  try {
    const result = await host.callTool("get-items", {});
    const output = result.structured;
    error = output ? errorText(output.error) : "";
    if (result.isError || error !== "") throw new Error(error || result.text || "The tool failed.");
    if (output === null || !Array.isArray(output.items)) throw new Error("The answer has no items.");
    items = parseItems(output.items);
  } catch (failure) {
    error = failure instanceof Error && failure.message ? failure.message : "The tool failed.";
  }
  if (generation !== outputGeneration) return;
  state.loadingList = false;
  state.status = "";
  if (items !== null) state.items = items;
  else state.error = `Could not load your items: ${error}`;
  render();
}

function applyUpdate(update: HostUpdate): void {
  if ("toolOutput" in update && (update.toolOutput !== state.lastOutput || update.toolError)) {
    state.lastOutput = update.toolOutput;
    if (update.toolOutput !== null || update.toolError || state.loaded) {
      applyOutput(update.toolOutput ?? null, update.toolError);
    }
  }
  if (update.theme === "light" || update.theme === "dark") state.theme = update.theme;
  if (typeof update.displayMode === "string") state.displayMode = update.displayMode;
  if (typeof update.maxHeight === "number" && update.maxHeight > 0) state.maxHeight = update.maxHeight;
  if (isObject(update.widgetState) && "selectedId" in update.widgetState) {
    const selected = update.widgetState.selectedId;
    state.selectedId = typeof selected === "string" ? selected : null;
  }
  if (root) render();
}

function select(item: Item): void {
  state.selectedId = state.selectedId === item.id ? null : item.id;
  host?.saveState({ selectedId: state.selectedId });
  render();
}

async function act(item: Item, action: Action): Promise<void> {
  if (state.busyId !== "" || state.loadingList || host === null) return;
  const words = ACTION_WORDS[action];
  state.busyId = item.id;
  state.error = "";
  state.status = `${words.doing} “${item.title}”…`;
  render();
  try {
    const result = await host.callTool("item-action", { item_id: item.id, action });
    const output = result.structured;
    const problem = output ? errorText(output.error) : "";
    if (result.isError || problem !== "") throw new Error(problem || result.text || "The action failed.");
    if (output && Array.isArray(output.items)) {
      state.items = parseItems(output.items);
    } else if (action === "delete") {
      state.items = state.items.filter((entry) => entry.id !== item.id);
    } else {
      const updated = output ? parseItem(output.item) : null;
      if (updated !== null) state.items = state.items.map((entry) => (entry.id === updated.id ? updated : entry));
    }
    if (action === "delete" && state.selectedId === item.id) {
      state.selectedId = null;
      host.saveState({ selectedId: null });
    }
    state.status = `${words.done} “${item.title}”.`;
  } catch (error) {
    const reason = error instanceof Error && error.message ? error.message : "The action failed.";
    state.status = "";
    state.error = `Could not ${words.verb} “${item.title}”: ${reason}`;
  } finally {
    state.busyId = "";
    render();
  }
}

function row(item: Item, busy: boolean): HTMLElement {
  const selected = state.selectedId === item.id;
  const toggle: Action = item.status === "done" ? "reopen" : "complete";
  // Keys name the slot, not the action, so focus stays on the toggle when it flips.
  const button = (action: Action, slot: string, extra: string) => (
    <button
      type="button"
      className={extra === "" ? "lv-button" : `lv-button ${extra}`}
      data-key={`${slot}:${item.id}`}
      aria-label={`${ACTION_WORDS[action].label} “${item.title}”`}
      disabled={busy}
      onClick={() => void act(item, action)}
    >
      {ACTION_WORDS[action].label}
    </button>
  );
  return (
    <li className={`lv-item${selected ? " is-selected" : ""}${item.status === "done" ? " is-done" : ""}`} data-id={item.id}>
      <button
        type="button"
        className="lv-title"
        data-key={`select:${item.id}`}
        aria-pressed={selected}
        onClick={() => select(item)}
      >
        {item.title}
      </button>
      <span className={`lv-badge lv-badge-${item.status}`}>{item.status === "done" ? "Done" : "Open"}</span>
      <span className="lv-actions">
        {button(toggle, "toggle", "")}
        {button("delete", "delete", "lv-danger")}
      </span>
    </li>
  );
}

function render(): void {
  const busy = state.busyId !== "" || state.loadingList;
  const active = document.activeElement;
  let focusedKey = active !== null && root.contains(active) ? active.getAttribute("data-key") : null;
  if (focusedKey === null && (active === null || active === document.body)) focusedKey = restoreKey;
  restoreKey = busy ? focusedKey : null;
  const focusedIndex = state.items.findIndex((item) => focusedKey?.endsWith(`:${item.id}`));
  applyHostLook(state.theme, state.displayMode);

  const open = state.items.filter((item) => item.status === "open").length;
  let content: HTMLElement;
  if (!state.loaded) {
    content = <p className="lv-empty">Loading…</p>;
  } else if (state.items.length === 0) {
    content = <p className="lv-empty">{state.error === "" ? "No items yet" : "No items to show"}</p>;
  } else {
    content = <ul className="lv-list" aria-labelledby="lv-heading">{state.items.map((item) => row(item, busy))}</ul>;
  }

  const view = (
    <div className="lv" aria-busy={busy}>
      <div className="lv-header">
        <h2 id="lv-heading" className="lv-heading" tabindex="-1">
          Items
        </h2>
        {state.loaded && state.items.length > 0 && (
          <span className="lv-count">
            {open} open · {state.items.length - open} done
          </span>
        )}
      </div>
      {content}
      {/* Below the list, so a failed action does not shift the rows under the pointer. */}
      {state.error !== "" && (
        <p className="lv-error" role="alert">
          {state.error}
        </p>
      )}
      <p className="lv-status" role="status" aria-live="polite">
        {state.status}
      </p>
    </div>
  );
  if (state.maxHeight > 0) view.style.maxHeight = `${state.maxHeight}px`;
  root.replaceChildren(view);

  // Keep keyboard focus where it was, or on the neighbour of a row that went away.
  if (focusedKey !== null) {
    let target = root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (target === null && focusedIndex >= 0) {
      const neighbour = state.items[Math.min(focusedIndex, state.items.length - 1)];
      target = neighbour ? root.querySelector<HTMLElement>(`[data-key="select:${CSS.escape(neighbour.id)}"]`) : null;
    }
    if (target !== null && !target.hasAttribute("disabled")) target.focus();
    else if (target === null) root.querySelector<HTMLElement>(".lv-heading")?.focus();
  }
}

whenReady(() => {
  root = widgetRoot();
  host = connectHost({ name: "list-view", version: "1.0.0" }, applyUpdate);
  render();
});
