import { createRoot } from "react-dom/client";
import { App } from "./App";

// The request's lifetime counts from when the page was opened.
const openedAt = Date.now();
const container = document.getElementById("root");
if (container !== null) {
  createRoot(container).render(<App openedAt={openedAt} />);
}
