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
  }
  onEachPage(typeset);
