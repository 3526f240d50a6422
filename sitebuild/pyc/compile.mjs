// Compiles every .py file under host folders to a .pyc beside it, with the CPython of
// the vendored Pyodide itself (the bytecode's magic number must be that interpreter's).
// Called by sitebuild/pyc.py, one Pyodide start for all the folders:
//   node compile.mjs <pyodide-dir> <host-folder> <name its files have in the browser> [...]
// Unchecked-hash .pyc files: Python uses them without comparing the source's mtime,
// which a zip or a fresh in-memory file system would not keep. A file that does not
// compile keeps no .pyc (it stays as source).
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, ...pairs] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
const compile = py.runPython(`
import compileall, py_compile
def compile(src, browser_dir):
    compileall.compile_dir(src, ddir=browser_dir, quiet=2, legacy=True, workers=1,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
compile
`);
for (let i = 0; i < pairs.length; i += 2) {
  const mount = `/src${i / 2}`;
  py.FS.mkdirTree(mount);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: pairs[i] }, mount);
  compile(mount, pairs[i + 1]);
}
