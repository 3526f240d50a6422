"""Graded exercises at site-build time: PyTorch computed the answers, the site serves them.

For every `sitebuild/exercise_bank/<id>.py` this writes `assets/exercises/<id>.json`: the starter,
solution, hints and cases, with each case's expected output computed by `reference()`
(torch.nn.functional / lecture_models), never typed by hand. The answers are computed once
by `python -m sitebuild.generated --write` (`stored_cases`, the only function here that
needs torch: some `cases()` use it too) and committed in `docs/generated/exercises/`, inputs
and answers; the build only reads them (tests/test_generated.py fails when they are stale).
It also writes `assets/exercises/index.json` (every exercise, its title and the page that
holds it: the progress page reads it) and expands each page's
`<div class="demo" data-demo="exercise" data-exercise="<id>"></div>` so the statement is
part of the page (readable without JavaScript, typeset with the page's math).
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

from demos import grader
from sitebuild import exercise_bank as exercises
from sitebuild import editor, generated

BLOCK = re.compile(r'<div class="demo" data-demo="exercise" data-exercise="([\w-]+)"></div>')
ASSET_DIR = "assets/exercises"
DEFAULTS = {"rtol": 1e-5, "atol": 1e-6, "time_limit": 5.0, "attempts": 3}


EditorBuildError = editor.EditorBuildError


class ExerciseError(ValueError):
    """An exercise file or block is wrong (unknown id, duplicate, not placed, bad file)."""


def stored_cases(exercise_id: str) -> dict:
    """What `python -m sitebuild.generated --write` stores: each case with PyTorch's answer."""
    module = _load(exercise_id)
    cases = []
    for case in module.cases():
        expected = module.reference(**case["args"])
        cases.append({"name": case["name"], "args": grader.encode(case["args"]), "expected": grader.encode(expected)})
    return {"id": exercise_id, "cases": cases}


def _load(exercise_id: str):
    try:
        return exercises.load(exercise_id)
    except (ImportError, ValueError) as exc:
        raise ExerciseError(str(exc)) from exc


@lru_cache(maxsize=None)
def spec(exercise_id: str) -> dict:
    """The JSON the browser gets for one exercise, with PyTorch's stored answers."""
    module = _load(exercise_id)
    try:
        cases = generated.read_exercise(exercise_id)["cases"]
    except generated.GeneratedError as exc:
        raise ExerciseError(str(exc)) from exc
    return {
        "id": exercise_id,
        "title": module.TITLE,
        "function": module.FUNCTION,
        "outputs": getattr(module, "OUTPUTS", None),
        "starter": module.STARTER,
        "solution": module.SOLUTION,
        "hints": list(module.HINTS),
        "rtol": getattr(module, "RTOL", DEFAULTS["rtol"]),
        "atol": getattr(module, "ATOL", DEFAULTS["atol"]),
        "time_limit": getattr(module, "TIME_LIMIT", DEFAULTS["time_limit"]),
        "attempts": getattr(module, "ATTEMPTS", DEFAULTS["attempts"]),
        "cases": cases,
    }


def block(exercise_id: str) -> str:
    """The Markdown that replaces one exercise block: the statement inside the widget's root."""
    module = exercises.load(exercise_id)
    title = html.escape(module.TITLE)
    return (
        f'<div class="demo exercise" id="ejercicio-{exercise_id}" data-demo="exercise" data-exercise="{exercise_id}" markdown="1">\n'
        f'<p class="ex-title"><strong>Ejercicio: {title}</strong></p>\n'
        f'<div class="ex-statement" markdown="1">\n{module.STATEMENT.strip()}\n</div>\n'
        f"</div>"
    )


def expand(markdown: str) -> str:
    ids_here = BLOCK.findall(markdown)
    dupes = {i for i in ids_here if ids_here.count(i) > 1}
    if dupes:
        raise ExerciseError(f"exercise {', '.join(sorted(dupes))} appears twice on one page")
    known = set(exercises.ids())
    for exercise_id in ids_here:
        if exercise_id not in known:
            raise ExerciseError(f"unknown exercise {exercise_id!r}: there is no sitebuild/exercise_bank/{exercise_id}.py")
    return BLOCK.sub(lambda m: block(m.group(1)), markdown)


def placements(pages: dict[str, str]) -> dict[str, str]:
    """{exercise id: page URL} from {page URL: its Markdown}; every exercise must be placed."""
    where: dict[str, str] = {}
    for url, markdown in pages.items():
        for exercise_id in BLOCK.findall(markdown):
            if exercise_id in where and where[exercise_id] != url:
                raise ExerciseError(f"exercise {exercise_id!r} is on two pages: {where[exercise_id]} and {url}")
            where[exercise_id] = url
    missing = [i for i in exercises.ids() if i not in where]
    if missing:
        raise ExerciseError(f"exercises on no page: {', '.join(missing)} (add a block "
                            f'<div class="demo" data-demo="exercise" data-exercise="ID"></div>)')
    return where


def generated_files(pages: dict[str, str]) -> dict[str, str]:
    """{site path: JSON text} of every file this step adds to the site."""
    where = placements(pages)
    out = {}
    index = []
    for exercise_id in exercises.ids():
        s = spec(exercise_id)
        out[f"{ASSET_DIR}/{exercise_id}.json"] = json.dumps(s, ensure_ascii=False, allow_nan=False)
        index.append({"id": exercise_id, "title": s["title"], "url": where.get(exercise_id)})
    order = list(pages)  # navigation order of the pages, then order on the page
    index.sort(key=lambda e: (order.index(e["url"]), BLOCK.findall(pages[e["url"]]).index(e["id"])))
    out[f"{ASSET_DIR}/index.json"] = json.dumps({"exercises": index}, ensure_ascii=False, allow_nan=False)
    return out


def add_to_site(files, config):
    """MkDocs `on_files`: the exercise JSON and the editor bundle become files of the site."""
    from mkdocs.structure.files import File

    pages = {}
    for f in files.documentation_pages():
        if f.src_uri.endswith(".md"):
            pages[f.url] = f.content_string
    for path, text in generated_files(pages).items():
        files.append(File.generated(config, path, content=text))
    dist = editor.prepare()
    for p in sorted(dist.iterdir()):
        files.append(File(p.name, str(dist), config["site_dir"], False, dest_uri=f"assets/vendor/codemirror/{p.name}"))
    return files
