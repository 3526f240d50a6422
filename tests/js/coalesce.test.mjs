// docs/assets/js/widgets/coalesce.js: one computation at a time, triggers collapse into one more run.
import {test} from "node:test";
import assert from "node:assert/strict";
import {coalesce} from "../../docs/assets/js/widgets/coalesce.js";
import * as common from "../../docs/assets/js/widgets/common.js";

/** A job whose runs the test finishes by hand: job() returns a promise kept in `runs`. */
function manualJob(read = () => null) {
  const runs = [];
  const job = () => new Promise((resolve, reject) => runs.push({resolve, reject, saw: read()}));
  return {job, runs};
}
const tick = () => new Promise((r) => setImmediate(r));
const el = () => ({dataset: {}});

test("one trigger: one run, then done equals requested and busy is false", async () => {
  const w = el(), {job, runs} = manualJob();
  const trigger = coalesce(w, job);
  assert.deepEqual({...w.dataset}, {requested: "0", done: "0", runs: "0"});
  trigger();
  assert.equal(w.dataset.busy, "true");
  assert.equal(runs.length, 1);
  runs[0].resolve();
  await tick();
  assert.deepEqual({...w.dataset}, {requested: "1", done: "1", runs: "1", busy: "false"});
});

test("triggers during a run collapse into one more run with the latest settings", async () => {
  const w = el();
  let setting = 0;
  const {job, runs} = manualJob(() => setting);
  const trigger = coalesce(w, job);
  trigger();                                            // run 1 sees 0
  for (setting = 1; setting <= 5; setting++) trigger();  // five triggers while it runs
  setting = 5;
  assert.equal(runs.length, 1, "a second run started while the first was running");
  assert.equal(w.dataset.requested, "6");
  runs[0].resolve();
  await tick();
  assert.equal(runs.length, 2, "the five triggers are one more run");
  assert.equal(runs[1].saw, 5, "the extra run uses the latest setting");
  assert.equal(w.dataset.done, "1", "done counts the requests the finished run answered");
  runs[1].resolve();
  await tick();
  assert.deepEqual({...w.dataset}, {requested: "6", done: "6", runs: "2", busy: "false"});
});

test("a failing job is reported once, not retried, and the widget keeps working", async () => {
  const w = el(), {job, runs} = manualJob(), warned = [];
  const trigger = coalesce(w, job, {warn: (e) => warned.push(e)});
  trigger();
  runs[0].reject(new Error("mal"));
  await tick();
  assert.equal(runs.length, 1);
  assert.deepEqual(warned.map((e) => e.message), ["mal"]);
  assert.equal(w.dataset.done, "1");
  trigger();
  runs[1].resolve();
  await tick();
  assert.deepEqual({...w.dataset}, {requested: "2", done: "2", runs: "2", busy: "false"});
});

test("a job stopped by another widget's «Detener» is retried once, then given up", async () => {
  const w = el(), {job, runs} = manualJob(), warned = [];
  const stop = Object.assign(new Error("Ejecución interrumpida"), {interrupted: true});
  const trigger = coalesce(w, job, {isInterrupted: (e) => Boolean(e && e.interrupted), warn: (e) => warned.push(e)});
  trigger();
  runs[0].reject(stop);
  await tick();
  assert.equal(runs.length, 2, "retried once");
  runs[1].reject(stop);
  await tick();
  assert.equal(runs.length, 2, "not retried a second time");
  assert.deepEqual(warned, [stop]);
  assert.equal(w.dataset.busy, "false");
  // A retry that works ends the run normally.
  trigger();
  runs[2].reject(stop);
  await tick();
  runs[3].resolve();
  await tick();
  assert.deepEqual({...w.dataset}, {requested: "2", done: "2", runs: "4", busy: "false"});
});

test("wait() opens with each run and its end is called after it, failed or not", async () => {
  const w = el(), {job, runs} = manualJob(), events = [];
  const wait = (target) => { assert.equal(target, w); events.push("wait"); return () => events.push("end"); };
  const trigger = coalesce(w, job, {wait, warn: () => {}});
  trigger();
  trigger();
  assert.deepEqual(events, ["wait"]);
  runs[0].reject(new Error("x"));
  await tick();
  assert.deepEqual(events, ["wait", "end", "wait"]);
  runs[1].resolve();
  await tick();
  assert.deepEqual(events, ["wait", "end", "wait", "end"]);
});

test("common.js's coalesce (what the widgets import) is this one", async () => {
  const w = el(), {job, runs} = manualJob();
  const trigger = common.coalesce(w, job);
  trigger(); trigger(); trigger();
  runs[0].resolve();
  await tick();
  runs[1].resolve();
  await tick();
  assert.equal(runs.length, 2);
  assert.deepEqual({...w.dataset}, {requested: "3", done: "3", runs: "2", busy: "false"});
});
