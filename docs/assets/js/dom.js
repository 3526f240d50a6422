/* The DOM helpers every course module builds its markup with (widgets, slides). */

let counter = 0;

/** Create an element: h("button", {type: "button", class: "x", onclick: fn}, "Texto").
 * Attributes false/null/undefined are skipped, `text` sets textContent, `on*` adds a
 * listener; children may be nested arrays, null and undefined are skipped. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** A page-unique id for label/for pairs: uid("cw-num") -> "cw-num-7". */
export const uid = (prefix) => `${prefix}-${++counter}`;
