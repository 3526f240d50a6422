// The references slide's short citations: read from the build's `data-cite`, ordered
// as a Spanish reader expects, and the note that says where the whole list is.
import {test} from "node:test";
import assert from "node:assert/strict";

import {citationsOf, sortCitations, citationsNote} from "../../docs/assets/js/slides/citations.js";

const li = (cite) => ({dataset: cite === undefined ? {} : {cite}});

test("each entry's data-cite, in the list's order", () => {
  assert.deepEqual(citationsOf([li("He et al. (2016)"), li("Kingma y Ba (2015)")]),
    ["He et al. (2016)", "Kingma y Ba (2015)"]);
});

test("a list the build did not write (an entry without data-cite, or none) gives nothing", () => {
  assert.equal(citationsOf([li("He et al. (2016)"), li(undefined)]), null);
  assert.equal(citationsOf([li("")]), null);
  assert.equal(citationsOf([]), null);
});

test("alphabetical in Spanish: an accent does not send a name past Z, case does not reorder", () => {
  const cites = ["van den Oord et al. (2018)", "Zhong et al. (2020)", "LeCun et al. (1989)", "Lecun (1990)",
                 "Álvarez (2001)", "Alonso (2003)", "He et al. (2016)", "He et al. (2015)"];
  assert.deepEqual(sortCitations(cites), ["Alonso (2003)", "Álvarez (2001)", "He et al. (2015)", "He et al. (2016)",
    "Lecun (1990)", "LeCun et al. (1989)", "van den Oord et al. (2018)", "Zhong et al. (2020)"]);
  assert.equal([...cites].sort().at(-1), "Álvarez (2001)", "code-point order would put it last");
  assert.equal(cites[0], "van den Oord et al. (2018)", "the input is left as it was");
});

test("the note counts the references in Spanish", () => {
  assert.match(citationsNote(1), /^Títulos, revistas y enlaces de la referencia: al final de esta página/);
  assert.match(citationsNote(12), /de las 12 referencias:/);
});
