/* The keyboard, for a presenter's remote as much as for a keyboard. PageUp/PageDown
 * move the deck from anywhere; every other deck key too, except the keys a focused text
 * field or slider keeps (../focus.js, the one answer to "is this key the control's?":
 * typing and the caret, a slider's arrows). F5 starts the show, B or "." blanks the
 * screen, L is a laser, D a pen, C clears the ink, O the overview, S the presenter
 * view, T its clock, + and − its notes, digits + Enter jump to a slide.
 */
import {keyOwner, ownsKey} from "../focus.js";
import {clamp} from "./place.js";
import {toggleFullscreen} from "./chrome.js";

const claim = (e) => { e.preventDefault(); e.stopPropagation(); };

/** Esc on a demo's control or in a field first gives the focus back to the deck. */
const leavesControl = (t) => Boolean(t && (t.closest(".demo") || keyOwner(t)));

/** One key for the deck: true when it was the deck's. The caller has left the keys a
 * focused text field or slider keeps to it; every other key is the deck's to take. */
export function deckKey(deck, e) {
  const k = e.key, ink = deck.ink, presenter = deck.presenter;
  if (deck.mode === "print") {
    if (k === "Escape") { deck.onExit(); return true; }
    return false;
  }
  if (k === "F5") { if (!document.fullscreenElement) toggleFullscreen(); return true; }  // a remote's start button: never a reload
  if (ink.blanked && !["b", "B", "."].includes(k)) {
    ink.setBlank(false);
    if (k === "Escape") return true;
  }
  if (k === "PageDown" || k === "PageUp") {
    deck.setOverview(false);
    if (k === "PageDown") deck.next(); else deck.prev();
    return true;
  }
  if (deck.overview) {
    if (k === "Escape" || k === "o" || k === "O") { deck.setOverview(false); return true; }
    const d = {ArrowRight: 1, ArrowLeft: -1, ArrowDown: deck.fitter.cols, ArrowUp: -deck.fitter.cols}[k];
    if (!d) return false;  // Tab, Enter and Space act on the focused thumbnail
    const jumps = Array.from(deck.viewport.querySelectorAll(".slide-jump"));
    const at = Math.max(0, jumps.indexOf(document.activeElement));
    jumps[clamp(at + d, 0, jumps.length - 1)].focus();
    return true;
  }
  if (/^[0-9]$/.test(k)) { deck.type(k); return true; }
  if (k === "Enter" && deck.typed) {
    const n = parseInt(deck.typed, 10);
    deck.type(null);
    deck.go(n - 1, 0);
    return true;
  }
  if (deck.typed) deck.type(null);
  // Space presses the deck's own buttons and a collapsible's summary; a demo's button
  // was clicked already, the next Space is the remote's.
  const onButton = e.target instanceof Element && e.target.closest("button, summary") && !e.target.closest(".demo");
  switch (k) {
    case "ArrowRight": deck.next(); return true;
    case "ArrowLeft": deck.prev(); return true;
    case " ":
      if (onButton) return false;
      if (e.shiftKey) deck.prev(); else deck.next();
      return true;
    case "b": case "B": case ".": ink.setBlank(!ink.blanked); return true;
    case "l": case "L": ink.setTool("laser"); return true;
    case "d": case "D": ink.setTool("pen"); return true;
    case "c": case "C": ink.clear(deck.index, true); return true;
    case "t": case "T":
      if (!presenter) return false;
      presenter.startClock(presenter.started);
      return true;
    case "+": case "=": case "-":
      if (!presenter) return false;
      presenter.notesSize(k === "-" ? -1 : 1);
      return true;
    case "Home": deck.go(0, 0); return true;
    case "End": deck.go(deck.slides.length - 1, Infinity); return true;
    case "f": case "F": toggleFullscreen(); return true;
    case "o": case "O": deck.setOverview(true); return deck.mode === "slides";
    case "s": case "S": if (deck.mode !== "slides") return false; deck.openPresenter(); return true;
    case "Escape": deck.onExit(); return true;
    default: return false;
  }
}

/** The page's keys, with or without a deck up: `page` has {deck, enter(mode, start)}. */
export function listenForKeys(page, opts) {
  // Capture phase on window: we see keys before Material's shortcuts (its "p" is
  // "previous page", its "s" opens search) and stop the ones we use.
  window.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || e.isComposing) return;
    const t = e.target instanceof Element ? e.target : null;
    if (ownsKey(t, e.key)) return;  // typing in a field, a slider's arrows
    if (page.deck) {
      if (e.key === "Escape" && leavesControl(t)) return;  // leave the control first (below)
      if (deckKey(page.deck, e)) claim(e);
      return;
    }
    if (e.key === "F5") {  // a remote's start button: F5 from the start, Shift+F5 from here
      claim(e);
      page.enter("slides", e.shiftKey ? undefined : 0);
      if (!document.fullscreenElement) toggleFullscreen();
      return;
    }
    if (e.key === "p" || e.key === "P") { claim(e); page.enter("slides"); }
  }, {capture: true, ...opts});

  // After the control had its turn (bubbling, on document: before Material's shortcuts
  // on window). Esc inside a demo or a field that did not use it leaves the control, so
  // the next Esc exits; and while a deck is up, Material's one-letter shortcuts ("n"
  // next page, "p", "/" search) never take the room off the talk.
  document.addEventListener("keydown", (e) => {
    if (!page.deck || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target instanceof Element ? e.target : null;
    if (e.key === "Escape" && !e.defaultPrevented && leavesControl(t)) page.deck.viewport.focus({preventScroll: true});
    else if (e.key.length === 1 && !ownsKey(t, e.key)) e.stopPropagation();
  }, opts);
}
