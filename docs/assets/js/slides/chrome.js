/* The deck's own controls: the bar under the slide (progress, buttons, warning,
 * "N / M"), the page's «Presentar» button and full screen. */
import {h} from "../dom.js";

/* Material Design Icons paths (the site's fonts may lack these symbols). */
const ICONS = {
  prev: "M15.41 16.58 10.83 12l4.58-4.59L14 6l-6 6 6 6z",
  next: "M8.59 16.58 13.17 12 8.59 7.41 10 6l6 6-6 6z",
  grid: "M3 11h8V3H3m0 18h8v-8H3m10 8h8v-8h-8m0-10v8h8V3",
  presenter: "M2 3h10a2 2 0 0 1 2-2 2 2 0 0 1 2 2h10v2h-1v11h-5.75L17 22h-2l-1.75-6h-2.5L9 22H7l1.75-6H3V5H2V3m3 2v9h14V5H5z",
  fullscreen: "M5 5h5v2H7v3H5V5m9 0h5v5h-2V7h-3V5m3 9h2v5h-5v-2h3v-3m-7 3v2H5v-5h2v3h3z",
  close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
  play: "M8 5.14v14l11-7z",
};

export function icon(name) {
  const span = h("span", {class: "slides-icon", "aria-hidden": "true"});
  span.innerHTML = `<svg viewBox="0 0 24 24" focusable="false"><path d="${ICONS[name]}"/></svg>`;
  return span;
}

export function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
}

/** The reading page's button that starts the show. */
export function enterButton() {
  return h("button", {type: "button", class: "slides-enter", title: "Presentar como diapositivas (tecla P)", "aria-keyshortcuts": "P"},
    icon("play"), "Presentar");
}

/** The bar under the slide; sets deck.warn, .progress, .counter, .live (for the core). */
export function buildBar(deck) {
  const mode = deck.mode;
  deck.warn = h("p", {class: "slides-warn", role: "status"});
  deck.progress = h("span");
  deck.counter = h("p", {class: "slides-counter", "aria-hidden": "true"});
  deck.live = h("p", {class: "slides-sr", "aria-live": "polite", "aria-atomic": "true"});
  const button = (name, label, fn, key) => {
    const b = h("button", {type: "button", "aria-label": label, title: `${label} (${key})`, "aria-keyshortcuts": key}, icon(name));
    b.addEventListener("click", fn);
    return b;
  };
  const controls = h("div", {class: "slides-controls", role: "toolbar", "aria-label": "Controles de la presentación"},
    button("prev", "Anterior", () => deck.prev(), "ArrowLeft"),
    button("next", "Siguiente", () => deck.next(), "ArrowRight"),
    mode === "slides" ? button("grid", "Vista general", () => deck.setOverview(!deck.overview), "O") : "",
    mode === "slides" ? button("presenter", "Vista del ponente", () => deck.openPresenter(), "S") : "",
    button("fullscreen", "Pantalla completa", toggleFullscreen, "F"),
    button("close", "Salir de la presentación", () => deck.onExit(), "Escape"));
  return h("div", {class: "slides-bar"},
    h("div", {class: "slides-progress", "aria-hidden": "true"}, deck.progress), controls, deck.warn, deck.counter);
}
