/* What a student has done on each exercise, kept in this browser (localStorage) so it
 * survives reloads, and moved between browsers as one JSON file (no server, no account).
 *
 *   load(id) -> {code, failures, checks, passed, hints, solutionShown, lastResult, updated}
 *   save(id, changes); stateOf(record) -> "untried" | "failed" | "solved"
 *   exportData() -> object; importData(object) -> number of exercises imported
 */

const PREFIX = "course-exercise:";
const FORMAT = "curso-dl-ejercicios";
const VERSION = 1;
const FIELDS = {code: "string", failures: "number", checks: "number", passed: "boolean", hints: "number",
                solutionShown: "boolean", lastResult: "string", updated: "string"};

const EMPTY = Object.freeze({code: null, failures: 0, checks: 0, passed: false, hints: 0,
                             solutionShown: false, lastResult: "", updated: ""});

function storage() {
  try { return window.localStorage; } catch (err) { return null; }  // blocked by privacy settings
}

export function load(id) {
  const raw = storage() && storage().getItem(PREFIX + id);
  if (!raw) return {...EMPTY};
  try { return clean({...EMPTY, ...JSON.parse(raw)}); } catch (err) { return {...EMPTY}; }
}

/** Merge `changes` into the record of `id`; returns the new record. */
export function save(id, changes) {
  const record = clean({...load(id), ...changes, updated: new Date().toISOString()});
  try { storage() && storage().setItem(PREFIX + id, JSON.stringify(record)); } catch (err) { /* full or blocked */ }
  return record;
}

export function stateOf(record) {
  if (record.passed) return "solved";
  return record.checks > 0 ? "failed" : "untried";
}

/** Keep only known fields of the right type (an imported file is not trusted). */
function clean(record) {
  const out = {...EMPTY};
  for (const [key, type] of Object.entries(FIELDS)) {
    if (typeof record[key] === type) out[key] = record[key];
  }
  if (record.code === null) out.code = null;
  return out;
}

export function exportData(ids) {
  const exercises = {};
  for (const id of ids) {
    const record = load(id);
    if (record.updated) exercises[id] = record;
  }
  return {format: FORMAT, version: VERSION, exported: new Date().toISOString(), exercises};
}

/** Write every exercise of an exported file; throws an Error in Spanish if it is not one. */
export function importData(data, knownIds) {
  if (!data || data.format !== FORMAT || typeof data.exercises !== "object" || data.exercises === null) {
    throw new Error("El archivo no es una exportación de los ejercicios de este curso.");
  }
  if (data.version > VERSION) throw new Error("El archivo es de una versión más nueva del curso.");
  let count = 0;
  for (const [id, record] of Object.entries(data.exercises)) {
    if (!knownIds.includes(id) || typeof record !== "object" || record === null) continue;
    const value = clean({...EMPTY, ...record});
    try { storage().setItem(PREFIX + id, JSON.stringify(value)); count += 1; } catch (err) { /* blocked */ }
  }
  return count;
}
