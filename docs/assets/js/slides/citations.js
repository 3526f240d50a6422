/* The «Referencias» slide: whole citations are unreadable from the back of a room and
 * never fit one slide, so the slide lists them short («He et al. (2016)»), in columns,
 * and says where the full list is. The reading page keeps its list (CSS only hides it
 * on the slide). The short form comes from the build (sitebuild/references.py writes
 * it as `data-cite` on each entry); this module only orders and shows it. The pure
 * parts take plain values (Node tests them).
 */
import {h} from "../dom.js";

/** The entries' short citations (their `data-cite`), or null when any entry has none
 * (a list the build did not generate: the slide then keeps it whole). */
export function citationsOf(items) {
  const cites = Array.from(items, (li) => (li.dataset && li.dataset.cite) || null);
  return cites.length && !cites.includes(null) ? cites : null;
}

/** Alphabetical as a Spanish reader expects (accents and case do not reorder). */
export function sortCitations(cites) {
  return [...cites].sort((a, b) => a.localeCompare(b, "es"));
}

/** The line under the short list that says where the whole references are. */
export function citationsNote(n) {
  return `Títulos, revistas y enlaces de ${n === 1 ? "la referencia" : `las ${n} referencias`}: al final de esta página, en modo lectura.`;
}

/** Give the references slide (`section`, its `content`) the short list, if the build
 * wrote one citation per entry. */
export function shortReferences(section, content) {
  const list = content.querySelector(":scope > ul, :scope > ol");
  const cites = list ? citationsOf(list.children) : null;
  if (!cites) return;
  section.classList.add("slide--references");
  list.after(h("ul", {class: "slides-cites"}, ...sortCitations(cites).map((text) => h("li", {text}))),
    h("p", {class: "slides-cites-note", text: citationsNote(cites.length)}));
}
