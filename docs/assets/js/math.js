/* Typeset the math that pymdownx.arithmatex (generic mode) leaves in
 * <span class="arithmatex">, with the vendored KaTeX: no CDN, works offline.
 * Runs on every page, also after Material's instant navigation. */
import {onEachPage} from "./pages.js";

  const ARITHMATEX = [
    {left: "\\(", right: "\\)", display: false},
    {left: "\\[", right: "\\]", display: true},
  ];
  // Notebook pages (mkdocs-jupyter) keep TeX between dollars in rendered Markdown.
  const DOLLARS = [
    {left: "$$", right: "$$", display: true},
    {left: "$", right: "$", display: false},
  ];

  function render(selector, delimiters) {
    document.querySelectorAll(selector).forEach((el) => {
      renderMathInElement(el, {delimiters, throwOnError: false});
    });
  }

  function typeset() {
    if (typeof renderMathInElement !== "function") return;
    render(".arithmatex", ARITHMATEX);
    render(".jupyter-wrapper .jp-RenderedMarkdown", DOLLARS);
    // Headings with math: the table of contents repeats their TeX as plain text.
    render(".md-nav .md-ellipsis", ARITHMATEX);
  }

  // Search results are drawn by Material as the reader types, from an index whose
  // text keeps the TeX source: typeset each result as it appears.
  function watchSearch() {
    const list = document.querySelector(".md-search-result__list");
    if (!list || typeof renderMathInElement !== "function") return;
    new MutationObserver((records) => {
      for (const r of records) {
        r.addedNodes.forEach((n) => n.nodeType === 1 && renderMathInElement(n, {delimiters: ARITHMATEX, throwOnError: false}));
      }
    }).observe(list, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchSearch);
  else watchSearch();
  onEachPage(typeset);
