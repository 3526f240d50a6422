/* Coalescing a widget's computations: at most one at a time, and every trigger that comes
 * while one runs collapses into one more run with the latest settings (a slider dragged
 * across twenty values computes twice, not twenty times, and ends on the last value).
 *
 *   const trigger = coalesce(el, job, {wait, isInterrupted});  trigger();
 *
 * el.dataset counts requested / done / runs (tests and benchmarks wait on
 * done === requested) and says busy. A job rejected because Python was interrupted
 * elsewhere (isInterrupted(err)) is retried once. wait(el) is called as each run starts
 * and returns the function that ends it («esperando a Python…» in common.js).
 * Pure (only el.dataset): tested under node, tests/js/coalesce.test.mjs.
 */

export function coalesce(el, job, {wait = () => () => {}, isInterrupted = () => false, warn = console.warn} = {}) {
  let running = false, again = false, requested = 0, runs = 0;
  el.dataset.requested = "0";
  el.dataset.done = "0";
  el.dataset.runs = "0";  // computations started: fewer than requests when they coalesce
  async function pump() {
    running = true;
    el.dataset.busy = "true";
    let retried = false;
    while (again) {
      again = false;
      const ticket = requested;
      el.dataset.runs = String(++runs);
      const waited = wait(el);
      try {
        await job();
        retried = false;
      } catch (err) {
        if (isInterrupted(err) && !retried && !again) { retried = true; again = true; continue; }
        warn(err);
      } finally {
        waited();
      }
      el.dataset.done = String(ticket);
    }
    running = false;
    el.dataset.busy = "false";
  }
  return function trigger() {
    requested += 1;
    el.dataset.requested = String(requested);
    again = true;
    if (!running) pump();
  };
}
