import{a as o}from"./chunk-6DRN7L32.js";import{b as e}from"./chunk-BSTOVHZE.js";var t=e(o()),r=t.default,{Fragment:m,jsx:s,jsxs:x}=t.default;export{m as Fragment,r as default,s as jsx,x as jsxs};
