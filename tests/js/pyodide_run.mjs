// Run a Python file inside the vendored Pyodide (the browser's NumPy 2.0.2) under Node.
//   node tests/js/pyodide_run.mjs PYODIDE_DIR REPO_ROOT CODE_FILE
// demos/*.py and docs/assets/models/*.npz are copied into Pyodide's file system first.
import fs from "fs";
import path from "path";
import {pathToFileURL} from "url";

const [,, pyodideDir, root, codeFile] = process.argv;
const {loadPyodide} = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({indexURL: pyodideDir + "/", stdout: (s) => console.log(s), stderr: (s) => console.error(s)});
await py.loadPackage("numpy", {messageCallback: () => {}});
py.FS.mkdirTree("/work/demos");
for (const f of fs.readdirSync(path.join(root, "demos"))) {
  if (f.endsWith(".py")) py.FS.writeFile(`/work/demos/${f}`, fs.readFileSync(path.join(root, "demos", f)));
}
py.FS.mkdirTree("/models");
const models = path.join(root, "docs", "assets", "models");
for (const f of fs.existsSync(models) ? fs.readdirSync(models) : []) {
  py.FS.writeFile(`/models/${f}`, fs.readFileSync(path.join(models, f)));
}
py.runPython("import sys; sys.path.insert(0, '/work')");
py.runPython(fs.readFileSync(codeFile, "utf8"));
