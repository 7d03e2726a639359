import{a as i}from"./chunk-JXAEDHLL.js";import{a as n}from"./chunk-C6NTH4CM.js";var a=n(t=>{"use strict";var e=i();t.createRoot=e.createRoot,t.hydrateRoot=e.hydrateRoot;var s});export{a};
