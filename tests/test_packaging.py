"""The distribution: `pip install .` ships the models and the demos, nothing of the site build."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lecture_models", "demos")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built offline from a copy of the sources (so no build/ or egg-info lands in the tree)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    for name in (*PACKAGES, "sitebuild", "tests"):  # the last two must be left out
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(tmp / "out"), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (whl,) = (tmp / "out").glob("*.whl")
    return whl


def test_wheel_holds_every_module_of_both_packages_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == set(PACKAGES)
    sources = {p.relative_to(ROOT).as_posix() for name in PACKAGES for p in (ROOT / name).rglob("*.py")
               if "__pycache__" not in p.parts}
    assert sources <= names, sorted(sources - names)
    assert {n for n in names if n.endswith(".py")} == sources


def test_wheel_imports_without_the_repository(wheel, tmp_path):
    """From a folder outside the repo, with only the wheel added: the packages come from it."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import lecture_models.summary, demos.imageops; "
            "print(lecture_models.summary.__file__); print(demos.imageops.__file__)")
    proc = subprocess.run([sys.executable, "-c", code, str(wheel)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert all(line.startswith(str(wheel)) for line in proc.stdout.split()), proc.stdout


def test_installed_package_keeps_its_data_out_of_site_packages(wheel, tmp_path):
    """Installed, no path is derived from the package's own folder: data goes to the
    user's cache (or $LECTURE_MODELS_DATA), and there is no checkout to read a commit from."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from lecture_models import paths; "
            "from lecture_models.data import mnist; print(paths.repo_root()); print(mnist.data_dir())")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", code, str(wheel)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["None", str(tmp_path / "cache" / "lecture-models" / "data")]


# --- import structure of lecture_models, read statically -----------------------------------

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: str = "lecture_models") -> dict[str, set[str]]:
    """module -> the package's modules it imports anywhere in its file (lazy imports too)."""
    import ast

    files = {_module_name(p): p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts}
    graph = {}
    for name, path in files.items():
        is_pkg = path.name == "__init__.py"
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                bases = [(a.name, []) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = name.split(".") if is_pkg else name.split(".")[:-1]
                    anchor = anchor[:len(anchor) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    base = node.module
                bases = [(base, [a.name for a in node.names])]
            else:
                continue
            for base, names in bases:
                subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in files]
                targets.update(subs or ([base] if base in files else []))
        graph[name] = targets - {name}
    return graph


def _cycle(graph):
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for t in sorted(graph.get(m, ())):
            if state.get(t) == "open":
                return stack[stack.index(t):] + [t]
            if t not in state and (found := visit(t)):
                return found
        state[m] = "done"
        stack.pop()
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_lecture_models_has_no_import_cycle():
    graph = import_graph()
    assert "lecture_models.summary" in graph and graph["lecture_models.figures.base"] >= {"lecture_models.figures.provenance"}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_layers_import_only_downwards():
    """models/ and train/ never reach up into figures/ (nor models/ into train/)."""
    for module, targets in import_graph().items():
        for layer, forbidden in (("models", ("figures", "train")), ("train", ("figures",))):
            if module.startswith(f"lecture_models.{layer}."):
                bad = {t for t in targets for f in forbidden if t.startswith(f"lecture_models.{f}")}
                assert not bad, f"{module} imports {sorted(bad)}"


def test_no_import_cycle_between_the_two_packages():
    """lecture_models may use demos (the one vocabulary, output_size); demos, which the
    browser runs, never imports lecture_models (nor torch), lazily or not. The build-time
    exercise bank, which does, lives in sitebuild/ and is not in the wheel."""
    import ast

    for path in sorted((ROOT / "demos").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] in ("lecture_models", "torch", "sitebuild")], \
                f"{path.relative_to(ROOT)} imports {names}"
    assert not (ROOT / "demos" / "exercises").exists()
