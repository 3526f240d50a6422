// What the exercise widget imports from CodeMirror 6: bundled into one ES module by
// sitebuild/editor.py (esbuild, offline), served as assets/vendor/codemirror/codemirror.js.
import {HighlightStyle, syntaxHighlighting} from "@codemirror/language";
import {tags} from "@lezer/highlight";

export {EditorView, basicSetup} from "codemirror";
export {EditorState, Compartment} from "@codemirror/state";
export {keymap} from "@codemirror/view";
export {indentWithTab} from "@codemirror/commands";
export {indentUnit} from "@codemirror/language";
export {python} from "@codemirror/lang-python";

// CodeMirror's default colours, except the three under 4.5:1 on the editor's light
// background (#fff, or #fafafa in the dark scheme): f-strings and escapes (#e40, 3.8:1),
// invalid text (#f00) and type names (#085). Replaces basicSetup's fallback style.
export const highlighting = syntaxHighlighting(HighlightStyle.define([
  {tag: tags.meta, color: "#404740"},
  {tag: tags.link, textDecoration: "underline"},
  {tag: tags.heading, textDecoration: "underline", fontWeight: "bold"},
  {tag: tags.emphasis, fontStyle: "italic"},
  {tag: tags.strong, fontWeight: "bold"},
  {tag: tags.strikethrough, textDecoration: "line-through"},
  {tag: tags.keyword, color: "#708"},
  {tag: [tags.atom, tags.bool, tags.url, tags.contentSeparator, tags.labelName], color: "#219"},
  {tag: [tags.literal, tags.inserted], color: "#164"},
  {tag: [tags.string, tags.deleted], color: "#a11"},
  {tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: "#b03000"},
  {tag: tags.definition(tags.variableName), color: "#00f"},
  {tag: tags.local(tags.variableName), color: "#30a"},
  {tag: [tags.typeName, tags.namespace], color: "#06703f"},
  {tag: tags.className, color: "#167"},
  {tag: [tags.special(tags.variableName), tags.macroName], color: "#256"},
  {tag: tags.definition(tags.propertyName), color: "#00c"},
  {tag: tags.comment, color: "#940"},
  {tag: tags.invalid, color: "#c00"},
]));
