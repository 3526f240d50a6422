// What the exercise widget imports from CodeMirror 6: bundled into one ES module by
// sitebuild/editor.py (esbuild, offline), served as assets/vendor/codemirror/codemirror.js.
export {EditorView, basicSetup} from "codemirror";
export {EditorState, Compartment} from "@codemirror/state";
export {keymap} from "@codemirror/view";
export {indentWithTab} from "@codemirror/commands";
export {indentUnit} from "@codemirror/language";
export {python} from "@codemirror/lang-python";
