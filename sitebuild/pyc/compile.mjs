// Compiles every .py file under a host folder to a .pyc beside it, with the CPython of
// the vendored Pyodide itself (the bytecode's magic number must be that interpreter's).
// Called by sitebuild/pyc.py:
//   node compile.mjs <pyodide-dir> <host-folder> <name the files have in the browser>
// Unchecked-hash .pyc files: Python uses them without comparing the source's mtime,
// which a zip or a fresh in-memory file system would not keep.
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, hostDir, browserDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
py.FS.mkdirTree("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: hostDir }, "/src");
py.globals.set("browser_dir", browserDir);
const failed = py.runPython(`
import compileall, py_compile
ok = compileall.compile_dir("/src", ddir=browser_dir, quiet=2, legacy=True, workers=1,
                            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
"" if ok else "some files did not compile (kept as source)"
`);
console.log(JSON.stringify({ magic: py.runPython("import importlib.util; importlib.util.MAGIC_NUMBER.hex()"), note: failed }));
