// docs/assets/js/exercise-store.js: each exercise's record in localStorage, export and import.
// The browser's localStorage is a small in-memory stand-in on globalThis.window.
import {test, beforeEach} from "node:test";
import assert from "node:assert/strict";

class MemoryStorage {
  constructor() { this.items = new Map(); this.full = false; }
  getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  setItem(k, v) { if (this.full) throw new Error("QuotaExceededError"); this.items.set(k, String(v)); }
  removeItem(k) { this.items.delete(k); }
  clear() { this.items.clear(); }
}

let storage = new MemoryStorage();
let blocked = false;
globalThis.window = {
  get localStorage() { if (blocked) throw new Error("SecurityError"); return storage; },
};
const store = await import("../../docs/assets/js/exercise-store.js");

const EMPTY = {code: null, failures: 0, checks: 0, passed: false, hints: 0, solutionShown: false,
               lastResult: "", updated: ""};
const IDS = ["conv2d", "neuron", "output_size"];

beforeEach(() => { storage = new MemoryStorage(); blocked = false; });

test("an exercise never tried is the empty record", () => {
  assert.deepEqual(store.load("conv2d"), EMPTY);
  assert.equal(store.stateOf(store.load("conv2d")), "untried");
});

test("save merges changes, stamps the time and keeps them across loads", () => {
  const before = Date.now();
  const first = store.save("conv2d", {code: "def f(): pass", checks: 1, failures: 1, lastResult: "failed"});
  assert.equal(first.code, "def f(): pass");
  assert.ok(Date.parse(first.updated) >= before - 1 && /^\d{4}-\d\d-\d\dT/.test(first.updated));
  const second = store.save("conv2d", {checks: 2, passed: true});
  assert.deepEqual({...second, updated: ""}, {...EMPTY, code: "def f(): pass", checks: 2, failures: 1,
                                              passed: true, lastResult: "failed"});
  assert.deepEqual(store.load("conv2d"), second);
  assert.deepEqual(JSON.parse(storage.getItem("course-exercise:conv2d")), second);
  assert.deepEqual(store.load("neuron"), EMPTY, "each exercise has its own record");
});

test("stateOf: solved once passed, failed after a check, else untried", () => {
  assert.equal(store.stateOf({...EMPTY, checks: 3}), "failed");
  assert.equal(store.stateOf({...EMPTY, checks: 3, passed: true}), "solved");
  assert.equal(store.stateOf({...EMPTY, code: "x"}), "untried");
});

test("unknown fields and wrong types are dropped; a broken entry reads as empty", () => {
  storage.setItem("course-exercise:conv2d", JSON.stringify({code: 5, failures: "3", hints: 2, evil: "<script>", passed: 1}));
  assert.deepEqual(store.load("conv2d"), {...EMPTY, hints: 2});
  storage.setItem("course-exercise:neuron", "{not json");
  assert.deepEqual(store.load("neuron"), EMPTY);
});

test("blocked or full storage: nothing throws, the record is still returned", () => {
  storage.full = true;
  const r = store.save("conv2d", {checks: 1});
  assert.equal(r.checks, 1);
  assert.deepEqual(store.load("conv2d"), EMPTY);
  blocked = true;
  assert.deepEqual(store.load("conv2d"), EMPTY);
  assert.equal(store.save("conv2d", {checks: 2}).checks, 2);
  assert.equal(store.importData({format: "curso-dl-ejercicios", version: 1, exercises: {conv2d: {checks: 1}}}, IDS), 0);
});

test("export lists only exercises worked on; import writes them back, cleaned", () => {
  store.save("conv2d", {code: "a", checks: 2, passed: true});
  store.save("neuron", {code: "b", checks: 1, hints: 1});
  const data = store.exportData(IDS);
  assert.equal(data.format, "curso-dl-ejercicios");
  assert.equal(data.version, 1);
  assert.ok(!Number.isNaN(Date.parse(data.exported)));
  assert.deepEqual(Object.keys(data.exercises).sort(), ["conv2d", "neuron"]);
  const file = JSON.parse(JSON.stringify(data));  // what the downloaded file holds
  file.exercises.unknown = {checks: 9};           // an exercise this course does not have
  file.exercises.output_size = {checks: "mucho", passed: true, extra: 1};
  storage = new MemoryStorage();                  // another browser
  assert.equal(store.importData(file, IDS), 3);
  assert.deepEqual(store.load("conv2d"), data.exercises.conv2d);
  assert.deepEqual(store.load("neuron"), data.exercises.neuron);
  assert.deepEqual(store.load("output_size"), {...EMPTY, passed: true});
  assert.equal(storage.getItem("course-exercise:unknown"), null);
});

test("a file that is not an export, or from a newer course, is refused in Spanish", () => {
  for (const bad of [null, {}, {format: "otro", exercises: {}}, {format: "curso-dl-ejercicios", exercises: null},
                     {format: "curso-dl-ejercicios", exercises: "x"}]) {
    assert.throws(() => store.importData(bad, IDS), {message: "El archivo no es una exportación de los ejercicios de este curso."});
  }
  assert.throws(() => store.importData({format: "curso-dl-ejercicios", version: 2, exercises: {}}, IDS),
                {message: "El archivo es de una versión más nueva del curso."});
  assert.equal(storage.items.size, 0);
});
