import{a as o}from"./chunk-AFEMNWYK.js";import{b as e}from"./chunk-C6NTH4CM.js";var t=e(o()),r=t.default,{Fragment:m,jsx:s,jsxs:x}=t.default;export{m as Fragment,r as default,s as jsx,x as jsxs};
