/* Which keys a focused control keeps for itself: the one answer shared by the slide
 * deck (slides/keys.js) and the widgets' guardKeys (widgets/common.js), so a key is
 * either the control's or the deck's, never lost between the two.
 *
 * Only two kinds of control own keys:
 * - a text field (text or number input, textarea, contenteditable such as CodeMirror):
 *   every key it may need to type or move its caret, so all but the remote's keys;
 * - a slider (range input, role=slider): its arrows, Home and End.
 * Anything else that takes focus (a button, checkbox, select, canvas, link) owns no
 * key: the deck's keys (arrows, Space, L, D, C, O, F, Home/End, number + Enter...)
 * still drive the deck after a click in a demo.
 */

const NOT_TEXT = ["button", "checkbox", "radio", "submit", "reset", "image", "file", "color", "range", "hidden"];

/** Text fields: they type characters and move a caret. */
export const TEXT_FIELD = [
  `input:not(${NOT_TEXT.map((t) => `[type=${t}]`).join(", ")})`,
  "textarea", "[contenteditable]:not([contenteditable='false'])", "[role=textbox]", "[role=spinbutton]",
].join(", ");

/** Sliders: their value moves with the arrows, Home and End. */
export const SLIDER = "input[type=range], [role=slider]";

/** A remote's keys and the way out: never a control's, even in a text field. */
const ALWAYS_DECK = new Set(["PageUp", "PageDown", "F5", "Escape", "Tab"]);
const SLIDER_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End"]);

/** The control (text field or slider) at or around `target`, or null. */
export function keyOwner(target) {
  if (!(target instanceof Element)) return null;
  return target.closest(TEXT_FIELD) || target.closest(SLIDER);
}

/** True when the focused `target` keeps `key` (an event's `key`) for itself, so the
 * deck and the page's shortcuts must leave it alone. */
export function ownsKey(target, key) {
  const owner = keyOwner(target);
  if (!owner || ALWAYS_DECK.has(key)) return false;
  return owner.matches(TEXT_FIELD) ? true : SLIDER_KEYS.has(key);
}
