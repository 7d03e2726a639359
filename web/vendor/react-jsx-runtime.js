// Import-map facade for "react/jsx-runtime" (generated shape; the build checks the list against the
// installed package). It gives the CommonJS package an ES module face with named exports, so our
// bundle and the Privy SDK module (loaded at run time) share one React instance.
import JSXRuntime from "react/jsx-runtime";

export default JSXRuntime;
export const {
  Fragment,
  jsx,
  jsxs,
} = JSXRuntime;
