/* Typeset the math that pymdownx.arithmatex (generic mode) leaves in
 * <span class="arithmatex">, with the vendored KaTeX: no CDN, works offline.
 * Runs on every page, also after Material's instant navigation. */
(function () {
  "use strict";
  function typeset() {
    if (typeof renderMathInElement !== "function") return;
    document.querySelectorAll(".arithmatex").forEach((el) => {
      renderMathInElement(el, {
        delimiters: [
          {left: "\\(", right: "\\)", display: false},
          {left: "\\[", right: "\\]", display: true},
        ],
        throwOnError: false,
      });
    });
    // Notebook pages (mkdocs-jupyter) keep TeX between dollars in rendered Markdown.
    document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach((el) => {
      renderMathInElement(el, {
        delimiters: [
          {left: "$$", right: "$$", display: true},
          {left: "$", right: "$", display: false},
        ],
        throwOnError: false,
      });
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(typeset);
  else document.addEventListener("DOMContentLoaded", typeset);
})();
