/* Turning the article into slides. The `#` title + first paragraph is slide 1, each
 * `##` starts a slide, `<hr class="slide-break">` forces one; `details.notes` (speaker
 * notes) stay with the slide before them. Lists marked `incremental` reveal one item
 * per "next". The decision is pure (groupBlocks, slideLabels: Node tests them); the DOM
 * part only describes the article's nodes to it.
 */

/** Page chrome left in the article: never part of a slide. */
export const SKIP = ".slides-enter, .md-content__button";

/** One top-level node as the splitter sees it: {kind, space, filled}.
 * kind: "skip" | "cut" (h2, forced break) | "h1" | "notes" | "p" | "el" | "text" (not
 * an element); space: a whitespace-only text node; filled: an element or text. */
export function describe(node, skip = SKIP) {
  if (node.nodeType !== 1) {
    const text = node.textContent.trim();
    return {kind: "text", space: node.nodeType === 3 && !text, filled: Boolean(text)};
  }
  const kind = node.matches(skip) ? "skip"
    : node.tagName === "H2" || node.matches("hr.slide-break") ? "cut"
    : node.tagName === "H1" ? "h1"
    : node.matches("details.notes") ? "notes"
    : node.tagName === "P" ? "p" : "el";
  return {kind, space: false, filled: true};
}

/** Group blocks (describe()'s answers, in order) into slides: arrays of block indices.
 * The title slide is the first h1, one paragraph and its notes; a group with nothing
 * but blank text is dropped. */
export function groupBlocks(blocks) {
  const groups = [];
  let cur = null, title = false, titlePara = false;
  const start = () => groups.push(cur = []);
  blocks.forEach((b, i) => {
    if (b.kind === "skip") return;
    if (b.kind === "text") {
      if (!cur) { if (b.space) return; start(); }
    } else if (b.kind === "cut") { start(); title = false; }
    else if (b.kind === "h1" && !groups.length) { start(); title = true; }
    else if (!cur) start();
    else if (title && b.kind !== "notes" && (titlePara || b.kind !== "p")) { start(); title = false; }
    else if (title && b.kind === "p") titlePara = true;
    cur.push(i);
  });
  return groups.filter((g) => g.some((i) => blocks[i].filled));
}

/** Each slide's label: its heading's text, or the last heading's with «(cont.)»
 * (`heads[i]` is null for a slide without one; `title` for a first slide without). */
export function slideLabels(heads, title) {
  let last = title;
  return heads.map((t) => (t === null ? `${last} (cont.)` : (last = t)));
}

/** Group the article's top-level nodes into slides (arrays of nodes). */
export function splitSlides(article) {
  const nodes = Array.from(article.childNodes);
  return groupBlocks(nodes.map((n) => describe(n))).map((g) => g.map((i) => nodes[i]));
}

/** A heading's text as shown: no permalink, math once. */
export function headingText(el) {
  const c = el.cloneNode(true);
  c.querySelectorAll(".headerlink, .katex-mathml").forEach((a) => a.remove());
  return c.textContent.trim();
}

/** The lists marked `incremental` (attr_list puts the class on the last item's <p>). */
export function incrementalItems(root) {
  const lists = new Set();
  root.querySelectorAll(".incremental").forEach((m) => {
    const list = m.matches("ul, ol") ? m : (m.closest("li") ? m.closest("ul, ol") : m.querySelector("ul, ol"));
    if (list && root.contains(list)) lists.add(list);
  });
  const items = [];
  for (const list of lists) items.push(...Array.from(list.children).filter((li) => li.tagName === "LI"));
  return items.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}
