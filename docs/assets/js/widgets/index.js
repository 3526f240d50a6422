/* Every widget the mounter (demos.js) knows, by its `name`. Adding a widget is one
 * line here; each module's default export is {name, mount(el, {runtime, ui})}. */
export {default as convProof} from "./conv-proof.js";
export {default as convExplorer} from "./conv-explorer.js";
export {default as convSteps} from "./conv-steps.js";
export {default as poolExplorer} from "./pool-explorer.js";
export {default as transposedSteps} from "./transposed-steps.js";
export {default as outputSizeQuiz} from "./output-size-quiz.js";
export {default as pythonCell} from "./python-cell.js";
