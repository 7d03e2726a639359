import{a as i}from"./chunk-43QVW2XS.js";import{a as n}from"./chunk-BSTOVHZE.js";var a=n(t=>{"use strict";var e=i();t.createRoot=e.createRoot,t.hydrateRoot=e.hydrateRoot;var s});export{a};
