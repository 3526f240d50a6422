/* Where the deck is: a slide index and a step (how many incremental items are shown).
 * Pure arithmetic on the slides' step counts, so Node tests it without a page. */

export const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

/** The place `go(i, step)` lands on: a slide in range, a step within its items
 * (Infinity: all of them). `steps` is each slide's number of incremental items. */
export function placeAt(steps, i, step = 0) {
  const index = clamp(i | 0, 0, steps.length - 1);
  return {index, step: clamp(step, 0, steps[index])};
}

/** "Next": the slide's next item, else the next slide with none shown; null at the end. */
export function nextPlace(steps, {index, step}) {
  if (step < steps[index]) return {index, step: step + 1};
  if (index < steps.length - 1) return {index: index + 1, step: 0};
  return null;
}

/** "Previous": hide the last item shown, else the previous slide with all its items. */
export function prevPlace(steps, {index, step}) {
  if (step > 0) return {index, step: step - 1};
  if (index > 0) return {index: index - 1, step: steps[index - 1]};
  return null;
}
