// The slide engine's pure parts, without a DOM: which blocks start a slide, the labels,
// the place arithmetic (steps), the canvas's size and scale, the URL state, the pace.
import {test} from "node:test";
import assert from "node:assert/strict";

import {groupBlocks, slideLabels} from "../../docs/assets/js/slides/split.js";
import {placeAt, nextPlace, prevPlace} from "../../docs/assets/js/slides/place.js";
import {canvasFor, W, H, BAR, MIN_SCALE} from "../../docs/assets/js/slides/fit.js";
import {slideURL, readingURL, slideFromHash, modeFromURL} from "../../docs/assets/js/slides/url.js";
import {mmss, secondsAhead, paceText} from "../../docs/assets/js/slides/presenter.js";

// Blocks as describe() reports them.
const el = (kind) => ({kind, space: false, filled: true});
const space = {kind: "text", space: true, filled: false};
const words = {kind: "text", space: false, filled: true};

test("title slide: the h1, one paragraph and its notes; then one slide per h2 or break", () => {
  const blocks = [el("skip"), space, el("h1"), space, el("p"), el("notes"), el("p"),
                  el("cut"), el("p"), el("el"), el("cut"), el("notes")];
  assert.deepEqual(groupBlocks(blocks), [[2, 3, 4, 5], [6], [7, 8, 9], [10, 11]]);
});

test("a title followed by a block that is not a paragraph ends the title slide there", () => {
  assert.deepEqual(groupBlocks([el("h1"), el("el"), el("p")]), [[0], [1, 2]]);
  assert.deepEqual(groupBlocks([el("h1"), el("notes"), el("p"), el("p")]), [[0, 1, 2], [3]]);
});

test("page chrome is never part of a slide, and blank text starts none", () => {
  assert.deepEqual(groupBlocks([space, el("skip"), space, el("cut"), el("skip"), el("p")]), [[3, 5]]);
  // A group of blank text only (between two breaks) is dropped; text with words is kept.
  assert.deepEqual(groupBlocks([el("cut"), el("cut"), space]), [[0], [1, 2]]);
  assert.deepEqual(groupBlocks([words, el("cut")]), [[0], [1]]);
  assert.deepEqual(groupBlocks([{kind: "text", space: false, filled: false}]), []);
});

test("a second h1 is an ordinary block; content before any heading is a slide", () => {
  assert.deepEqual(groupBlocks([el("p"), el("h1"), el("cut")]), [[0, 1], [2]]);
  assert.deepEqual(groupBlocks([el("h1"), el("p"), el("h1")]), [[0, 1], [2]]);
});

test("slides without a heading are labelled as the last heading's continuation", () => {
  assert.deepEqual(slideLabels([null, "Uno", null, null, "Dos"], "Página"),
    ["Página (cont.)", "Uno", "Uno (cont.)", "Uno (cont.)", "Dos"]);
});

test("next reveals one item at a time, then the next slide; prev undoes it", () => {
  const steps = [0, 3, 0];
  let at = {index: 0, step: 0};
  const seen = [];
  while (at) { seen.push([at.index, at.step]); at = nextPlace(steps, at); }
  assert.deepEqual(seen, [[0, 0], [1, 0], [1, 1], [1, 2], [1, 3], [2, 0]]);
  at = {index: 2, step: 0};
  const back = [];
  while (at) { back.push([at.index, at.step]); at = prevPlace(steps, at); }
  assert.deepEqual(back, [[2, 0], [1, 3], [1, 2], [1, 1], [1, 0], [0, 0]]);
});

test("go() lands in range: slide clamped, step clamped, Infinity is every item", () => {
  const steps = [0, 3];
  assert.deepEqual(placeAt(steps, 7, 0), {index: 1, step: 0});
  assert.deepEqual(placeAt(steps, -2, 5), {index: 0, step: 0});
  assert.deepEqual(placeAt(steps, 1, Infinity), {index: 1, step: 3});
  assert.deepEqual(placeAt(steps, 1.9, 2), {index: 1, step: 2});
});

test("the audience's canvas takes the screen's shape, never scaled below MIN_SCALE", () => {
  const big = canvasFor({mode: "slides", vw: 1920, vh: 1080 + BAR});
  assert.equal(big.s, 1.5);
  assert.deepEqual([big.cw, big.ch], [W, H]);
  const hd = canvasFor({mode: "slides", vw: 1280, vh: 720});
  // 1280x720 leaves 686 px above the bar: the canvas grows wider to keep its height.
  assert.equal(hd.s, 686 / 720);
  assert.equal(hd.cw, 1343);
  assert.ok(hd.ch === H || hd.ch === H - 1, String(hd.ch));
  const projector = canvasFor({mode: "slides", vw: 1024, vh: 768});
  assert.equal(projector.s, MIN_SCALE);
  assert.deepEqual([projector.cw, projector.ch], [Math.floor(1024 / MIN_SCALE), Math.floor((768 - BAR) / MIN_SCALE)]);
});

test("print is 1280x720 at full size; the presenter copies the audience's canvas into its box", () => {
  assert.deepEqual(canvasFor({mode: "print", vw: 800, vh: 600}), {cw: W, ch: H, s: 1, cols: null});
  const p = canvasFor({mode: "presenter", vw: 1280, vh: 800, audience: {w: 1347, h: 737}, box: {width: 700, height: 500}});
  assert.deepEqual([p.cw, p.ch], [1347, 737]);
  assert.equal(p.s, Math.min(684 / 1347, 484 / 737));
  const alone = canvasFor({mode: "presenter", vw: 1280, vh: 800, box: {width: 656, height: 376}});
  assert.deepEqual([alone.cw, alone.ch, alone.s], [W, H, 0.5]);
});

test("the overview has 2 to 5 columns of thumbnails filling the width", () => {
  const o = canvasFor({mode: "slides", vw: 1280, vh: 720, overview: true});
  assert.equal(o.cols, 4);
  assert.ok(Math.abs(o.s * o.cw * 4 + 16 * 3 + 48 - 1280) < 1e-9);
  assert.equal(canvasFor({mode: "slides", vw: 500, vh: 720, overview: true}).cols, 2);
  assert.equal(canvasFor({mode: "slides", vw: 3000, vh: 720, overview: true}).cols, 5);
});

test("URL state: our flags replace each other, other parameters stay", () => {
  const at = {pathname: "/l/", search: "?x=1&slides&print"};
  assert.equal(slideURL("slides", 3, at), "/l/?x=1&slides#slide-3");
  assert.equal(slideURL("presenter", 1, at), "/l/?x=1&presenter#slide-1");
  assert.equal(slideURL("print", 2, {pathname: "/l/", search: ""}), "/l/?slides&print#slide-2");
  assert.equal(readingURL("teclas", at), "/l/?x=1#teclas");
  assert.equal(readingURL("", {pathname: "/l/", search: "?presenter"}), "/l/");
  assert.equal(slideFromHash("#slide-12"), 11);
  assert.equal(slideFromHash("#slide-x"), null);
  assert.equal(modeFromURL("?presenter", ""), "presenter");
  assert.equal(modeFromURL("?slides&print", ""), "print");
  assert.equal(modeFromURL("", "#slide-2"), "slides");
  assert.equal(modeFromURL("?slidesx", "#teclas"), null);
});

test("the presenter's clock: mm:ss and the pace against an even plan", () => {
  assert.equal(mmss(0), "00:00");
  assert.equal(mmss(75.9), "01:15");
  assert.equal(mmss(-61), "−01:01");
  // 10 slides in 20 min from slide 0: slide 5 is due at 10 min, slide 2 at 4 min.
  const ahead = (index, elapsed) => secondsAhead({total: 1200, elapsed, index, from: 0, count: 10});
  assert.equal(ahead(5, 600), 0);
  assert.equal(ahead(5, 480), 120);
  assert.deepEqual(paceText(ahead(5, 650)), {text: "A tiempo", cls: "is-on-time"});
  assert.deepEqual(paceText(ahead(5, 480)), {text: "Adelantado 02:00", cls: "is-ahead"});
  assert.deepEqual(paceText(ahead(2, 600)), {text: "Retrasado 06:00", cls: "is-behind"});
});
