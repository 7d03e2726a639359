// Import-map facade for "react-dom" (generated shape; the build checks the list against the
// installed package). It gives the CommonJS package an ES module face with named exports, so our
// bundle and the Privy SDK module (loaded at run time) share one React instance.
import ReactDOM from "react-dom";

export default ReactDOM;
export const {
  __SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED,
  createPortal,
  createRoot,
  findDOMNode,
  flushSync,
  hydrate,
  hydrateRoot,
  render,
  unmountComponentAtNode,
  unstable_batchedUpdates,
  unstable_renderSubtreeIntoContainer,
  unstable_runWithPriority,
  version,
} = ReactDOM;
