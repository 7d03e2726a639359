// Import-map facade for "react-dom/client" (generated shape; the build checks the list against the
// installed package). It gives the CommonJS package an ES module face with named exports, so our
// bundle and the Privy SDK module (loaded at run time) share one React instance.
import ReactDOMClient from "react-dom/client";

export default ReactDOMClient;
export const {
  createRoot,
  hydrateRoot,
} = ReactDOMClient;
