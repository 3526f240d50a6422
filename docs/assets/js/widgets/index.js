/* Every widget the mounter (demos.js) knows, by its `name`. Adding a widget is one
 * line here; each module's default export is {name, mount(el, {runtime, ui})}. */
export {default as convProof} from "./conv-proof.js";
export {default as convExplorer} from "./conv-explorer.js";
export {default as convSteps} from "./conv-steps.js";
export {default as poolExplorer} from "./pool-explorer.js";
export {default as transposedSteps} from "./transposed-steps.js";
export {default as outputSizeQuiz} from "./output-size-quiz.js";
export {default as pythonCell} from "./python-cell.js";
export {default as exercise} from "./exercise.js";
export {default as exerciseProgress} from "./exercise-progress.js";
export {default as digitExplorer} from "./digit-explorer.js";
export {default as segmenter} from "./segmenter.js";
export {default as diffusionSampler} from "./diffusion-sampler.js";
export {default as optimizerPlayground} from "./optimizer-playground.js";
export {default as clipExplorer} from "./clip-explorer.js";
export {default as latentExplorer} from "./latent-explorer.js";
export {default as textToImage} from "./text-to-image.js";
