// NoteDetail widget: one note of the tool's structuredContent
// {id, title, body, tags: string[], updatedAt: ISO 8601}. Read-only: it calls no tool.
// Data contract: web/README.md. Styles: styles.css (the server inlines it beside the script).
import { h, whenReady, widgetRoot } from "../shared/h";
import { applyHostLook, connectHost, errorText, type HostUpdate, type Json } from "../shared/host";

type Note = { id: string; title: string; body: string; tags: string[]; updatedAt: Date | null };

const state = {
  loaded: false,
  note: null as Note | null,
  error: "",
  theme: "",
  displayMode: "",
  maxHeight: 0,
  locale: "",
  lastOutput: undefined as unknown,
};

let root: HTMLElement | null = null;

function parseNote(output: Json): Note | null {
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const id = typeof output.id === "number" ? String(output.id) : text(output.id);
  const title = text(output.title).trim();
  const body = text(output.body);
  const tags = Array.isArray(output.tags)
    ? output.tags.filter((tag): tag is string => typeof tag === "string" && tag.trim() !== "")
    : [];
  if (id === "" && title === "" && body === "") return null;
  const time = typeof output.updatedAt === "string" ? Date.parse(output.updatedAt) : NaN;
  return { id, title: title || "(untitled)", body, tags, updatedAt: Number.isNaN(time) ? null : new Date(time) };
}

function applyUpdate(update: HostUpdate): void {
  if ("toolOutput" in update && (update.toolOutput !== state.lastOutput || update.toolError)) {
    state.lastOutput = update.toolOutput;
    const output = update.toolOutput ?? null;
    if (output !== null || update.toolError || state.loaded) {
      state.loaded = true;
      state.error = update.toolError || (output ? errorText(output.error) : "");
      state.note = output && state.error === "" ? parseNote(output) : null;
    }
  }
  if (update.theme === "light" || update.theme === "dark") state.theme = update.theme;
  if (typeof update.displayMode === "string") state.displayMode = update.displayMode;
  if (typeof update.maxHeight === "number" && update.maxHeight > 0) state.maxHeight = update.maxHeight;
  if (typeof update.locale === "string") state.locale = update.locale;
  if (root) render();
}

function locales(): string[] | undefined {
  return state.locale !== "" ? [state.locale] : undefined;
}

/** "5 minutes ago" within a week, else the date ("12 March 2026"); the full time is the title. */
function describeTime(date: Date): { short: string; full: string } {
  let full: string;
  let day: string;
  try {
    full = new Intl.DateTimeFormat(locales(), { dateStyle: "long", timeStyle: "short" }).format(date);
    day = new Intl.DateTimeFormat(locales(), { dateStyle: "long" }).format(date);
  } catch {
    // an invalid locale tag from the host
    full = date.toISOString();
    day = full.slice(0, 10);
  }
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["second", 60],
    ["minute", 60],
    ["hour", 24],
    ["day", 7],
  ];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) {
      try {
        const relative = new Intl.RelativeTimeFormat(locales(), { numeric: "auto" });
        return { short: unit === "second" ? relative.format(0, "second") : relative.format(amount, unit), full };
      } catch {
        return { short: day, full };
      }
    }
    amount = Math.round(amount / size);
  }
  return { short: day, full };
}

function noteView(note: Note): HTMLElement {
  const time = note.updatedAt === null ? null : describeTime(note.updatedAt);
  return (
    <article className="nd-note" aria-labelledby="nd-title">
      <h2 id="nd-title" className="nd-title">
        {note.title}
      </h2>
      {time !== null && (
        <p className="nd-meta">
          Updated{" "}
          <time datetime={note.updatedAt!.toISOString()} title={time.full}>
            {time.short}
          </time>
        </p>
      )}
      {note.tags.length > 0 && (
        <ul className="nd-tags" aria-label="Tags">
          {note.tags.map((tag) => (
            <li className="nd-tag">{tag}</li>
          ))}
        </ul>
      )}
      {note.body.trim() === "" ? <p className="nd-empty">This note is empty.</p> : <div className="nd-body">{note.body}</div>}
    </article>
  );
}

function render(): void {
  if (root === null) return;
  applyHostLook(state.theme, state.displayMode);
  let content: HTMLElement;
  if (!state.loaded) content = <p className="nd-empty">Loading…</p>;
  else if (state.error !== "") {
    content = (
      <p className="nd-error" role="alert">
        {state.error}
      </p>
    );
  } else if (state.note === null) content = <p className="nd-empty">No note to show</p>;
  else content = noteView(state.note);
  const view = <div className="nd">{content}</div>;
  if (state.maxHeight > 0) view.style.maxHeight = `${state.maxHeight}px`;
  root.replaceChildren(view);
}

whenReady(() => {
  root = widgetRoot();
  connectHost({ name: "note-detail", version: "1.0.0" }, applyUpdate);
  render();
});
