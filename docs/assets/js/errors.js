/* The error record between Python and the page: demos/errors.py defines it, once.
 *
 *   import {makeRecord, recordError, stoppedRecord} from "./errors.js";
 *   throw recordError({kind: "input", message, code: "offline"});
 *
 * Why: a widget marks the field at fault and reacts to the cause (`code`), never to the
 * message's text. The worker hands demos.errors.contract() over when Python starts
 * (setContract): the blank record, the kinds, the codes and the record of a stopped run.
 * Records the page makes itself (a file it could not fetch, a value refused before Python
 * saw it) start from that blank record; before Python has started they carry only what
 * they are given, and a field read from them is undefined, like a blank one (null).
 */

let contract = null;

/** Called by the runtime with the worker's contract, once Python is ready. */
export function setContract(value) { contract = value; }

/** The contract once Python has started (null before): tests and the worker restart read it. */
export function currentContract() { return contract; }

/** A record: the blank one with `props` over it. An unknown kind or code is a bug of the
 * page (not of the reader's input), so it throws at once where the record is made. */
export function makeRecord(props) {
  if (contract) {
    if (props.kind && !contract.kinds.includes(props.kind)) throw new Error(`error record kind ${props.kind}?`);
    if (props.code && !contract.codes.includes(props.code) && props.kind !== "input") {
      throw new Error(`error record code ${props.code}?`);
    }
  }
  return {...(contract ? contract.blank : {}), ...props};
}

/** An Error carrying its record (.record), as the runtime rejects a failed call. */
export function recordError(props) {
  const rec = makeRecord(props);
  const err = new Error(rec.message);
  err.record = rec;
  return err;
}

/** The record of a run stopped with «Detener» (demos.errors.record(KeyboardInterrupt())).
 * Before Python has started there is no Python run to stop: a call still waiting for the
 * start is dropped with the same kind and code. */
export function stoppedRecord() {
  return contract ? contract.interrupted
    : makeRecord({kind: "interrupted", code: "interrupted", message: "Detenido antes de que Python arrancara."});
}
