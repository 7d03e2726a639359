// A tiny JSX factory that builds real DOM nodes, so a widget needs no framework (the build
// compiles JSX with --jsx-factory=h: import { h } from "../shared/h" in every .tsx file).
// Children are text nodes, never parsed as HTML.

type Child = Node | string | number | boolean | null | undefined | Child[];

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    type Element = HTMLElement;
    interface IntrinsicElements {
      [tag: string]: Record<string, unknown>;
    }
  }
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === true) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function h(tag: string, props: Record<string, unknown> | null, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (props) {
    for (const key of Object.keys(props)) {
      const value = props[key];
      if (value === null || value === undefined) continue;
      if (key === "className") {
        element.className = String(value);
      } else if (key.startsWith("on") && typeof value === "function") {
        element.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
      } else if (key.startsWith("aria-")) {
        element.setAttribute(key, String(value));
      } else if (value === true) {
        element.setAttribute(key, "");
      } else if (value !== false) {
        element.setAttribute(key, String(value));
      }
    }
  }
  append(element, children);
  return element;
}

/** The widget's mount point: the page's #root (the server's HTML has one), created if missing. */
export function widgetRoot(): HTMLElement {
  return document.getElementById("root") ?? document.body.appendChild(h("div", { id: "root" }));
}

/** Runs start once the document is parsed (at once if it is). */
export function whenReady(start: () => void): void {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
