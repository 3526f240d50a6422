"""One vocabulary for the whole course, as docs/glosario.md says it.

The glossary is the source of truth: its table's «Evita» column lists, per term, the
words the course does not use in its place (the term's English name, a Latin American
variant, a second translation), and its list «Palabras inglesas en cursiva» the English
words the course uses as they are, always in italics. docs/notacion.md adds the words for
the four meanings of «paso». This test reads both pages and scans every text a student
reads: lectures and other pages, the notebooks' Markdown cells, the figures' alt text and
captions, the labels of the provenance line, the widgets' string literals and the
exercises' statements, titles and hints. It fails naming file:line and the preferred term.

A rejected word is allowed in a gloss: inside parentheses that follow the Spanish term,
as in «agrupación (*pooling*)». Code (fenced, inline, the widgets' code), math, URLs and
HTML attributes are not prose and are not scanned.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GLOSSARY = DOCS / "glosario.md"
NOTATION = DOCS / "notacion.md"


# ---------------------------------------------------------------- the glossary's rules

@dataclass(frozen=True)
class Rule:
    variant: str          # the rejected word or phrase
    preferred: str        # what the course writes instead
    pattern: re.Pattern

    def __str__(self):
        return f"«{self.variant}» → «{self.preferred}»"


def _word_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    # \w-bounded, so «test» is not found in «tests» and «frameworks» is found by «framework(s)».
    body = r"[\s\-]+".join(words).replace(re.escape("(s)"), "s?")
    return re.compile(rf"(?<!\w){body}(?![\w-])", re.IGNORECASE)


def _cells(line: str) -> list[str]:
    # A «|» inside math ($|x|$) or code is not a column separator.
    protected = re.sub(r"\$[^$]*\$|`[^`]*`", lambda m: m.group(0).replace("|", "\0"), line)
    return [c.strip().replace("\0", "|") for c in protected.strip().strip("|").split("|")]


def _plain(cell: str) -> str:
    """The preferred term as it reads: no emphasis, no parenthetical, no math."""
    cell = re.sub(r"\([^)]*\)", "", cell.replace("*", ""))
    return re.sub(r"\s+", " ", cell).strip()


def glossary_rules(text: str) -> list[Rule]:
    """One rule per rejected variant in the glossary table's «Evita» column."""
    rules = []
    header = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = _cells(line)
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(line) <= set("|-: "):
            continue
        if "evita" not in header:
            continue
        row = dict(zip(header, cells))
        preferred = _plain(row[header[0]])
        for variant in (v.strip() for v in row["evita"].replace("*", "").split(",")):
            if variant and variant != "—":
                rules.append(Rule(variant, preferred, _word_pattern(variant)))
    return rules


def italic_words(text: str) -> list[str]:
    """The English words written as they are and in italics: the list under the heading
    «Palabras inglesas en cursiva»."""
    m = re.search(r"^## Palabras inglesas en cursiva\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, "docs/glosario.md has no «## Palabras inglesas en cursiva» section"
    words = []
    for line in m.group(1).splitlines():
        if line.lstrip().startswith("- "):
            words += re.findall(r"\*([^*]+)\*", line.split(":")[0])
    return words


def notation_rules(text: str) -> list[Rule]:
    """The «Evita» column of the tables in docs/notacion.md (the words for «paso»)."""
    return glossary_rules(text)


# ---------------------------------------------------------------- prose extraction

FENCE = re.compile(r"^\s*(```|~~~)")
MATH_BLOCK = re.compile(r"^\s*\$\$")


def _clean_inline(line: str) -> str:
    """Drop what is not prose on one line: inline code, math, URLs, link targets, HTML
    tags and their attributes, attribute lists, snippet markers."""
    line = re.sub(r"`[^`]*`", " ", line)
    line = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)", " ", line)
    line = re.sub(r"<!--.*?-->", " ", line)
    line = re.sub(r"</?(em|i)\b[^>]*>", "*", line)   # HTML italics count as italics
    line = re.sub(r"<[^>\n]*>", " ", line)           # tags with their attributes
    line = re.sub(r"\]\([^)]*\)", "] ", line)        # link and image targets
    line = re.sub(r"https?://\S+", " ", line)
    line = re.sub(r"\{[:.#][^}]*\}|\{ [.#:][^}]*\}", " ", line)  # attr_list
    line = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", " ", line)        # list markers
    line = re.sub(r"^\s*\*\s+", " ", line)
    return line


def markdown_prose(text: str) -> list[tuple[int, str]]:
    """(line number, prose) for each line of a Markdown text, code and math blocks out."""
    out = []
    fence = None
    in_math = in_inline_math = False
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":          # front matter
        start = next((i + 1 for i, l in enumerate(lines[1:], 1) if l.strip() == "---"), 0)
    for n, line in enumerate(lines[start:], start + 1):
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        m = FENCE.match(line)
        if m:
            fence = m.group(1)
            continue
        if in_math:
            in_math = not line.strip().endswith("$$")
            continue
        if MATH_BLOCK.match(line) and line.count("$$") == 1:
            in_math = True
            continue
        if "--8<--" in line:
            continue
        if in_inline_math:                      # $…$ that began on an earlier line
            if "$" not in line:
                continue
            line = " " + line[line.index("$") + 1:]
            in_inline_math = False
        prose = _clean_inline(line)
        if "$" in prose:                        # an unpaired $ opens math to the next line
            prose, in_inline_math = prose[:prose.index("$")], True
        out.append((n, prose))
    return out


@dataclass
class Text:
    where: str                 # "docs/lectures/02-convolucion.md:12"
    prose: str
    italics_possible: bool     # False where the text is shown as plain text


def _md_file(path: Path, italics=True) -> list[Text]:
    rel = path.relative_to(ROOT)
    return [Text(f"{rel}:{n}", p, italics) for n, p in markdown_prose(path.read_text(encoding="utf-8"))]


def _notebook(path: Path) -> list[Text]:
    rel = path.relative_to(ROOT)
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, cell in enumerate(nb["cells"], 1):
        if cell["cell_type"] != "markdown":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        out += [Text(f"{rel}: celda {i}, línea {n}", p, True) for n, p in markdown_prose(src)]
    return out


def _line_of(source: str, needle: str) -> int:
    i = source.find(needle)
    return source.count("\n", 0, i) + 1 if i >= 0 else 0


def _manifest() -> list[Text]:
    path = DOCS / "figures" / "manifest.json"
    raw = path.read_text(encoding="utf-8")
    out = []
    for section in json.loads(raw).values():
        if not isinstance(section, dict):
            continue
        for entry in section.values():
            for key in ("alt", "caption", "data", "note"):
                s = entry.get(key)
                if isinstance(s, str):
                    needle = json.dumps(s, ensure_ascii=False)[1:-1]
                    out.append(Text(f"{path.relative_to(ROOT)}:{_line_of(raw, needle)}", s, False))
    return out


def _metric_labels() -> list[Text]:
    path = ROOT / "sitebuild" / "captions.py"
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "METRIC_LABELS" for t in node.targets):
            for value in node.value.values:
                label = value.elts[0]
                out.append(Text(f"sitebuild/captions.py:{label.lineno}", label.value, False))
    return out


def _exercises() -> list[Text]:
    out = []
    for path in sorted((ROOT / "sitebuild" / "exercise_bank").glob("*.py")):
        rel = path.relative_to(ROOT)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Name):
                continue
            name = node.targets[0].id
            if name == "STATEMENT":
                out += [Text(f"{rel}:{node.value.lineno + n - 1}", p, True)
                        for n, p in markdown_prose(node.value.value)]
            elif name == "TITLE":
                out.append(Text(f"{rel}:{node.lineno}", node.value.value, False))
            elif name == "HINTS":
                out += [Text(f"{rel}:{e.lineno}", _clean_inline(e.value), False)
                        for e in node.value.elts if isinstance(e, ast.Constant)]
    return out


JS_STRING = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`""")
JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.S)


def _widgets() -> list[Text]:
    """String literals that read as prose (they have a space and a letter): the labels,
    messages and explanations a widget shows. Identifiers, selectors and class names
    have no spaces. Comments are blanked first (they are not shown)."""
    out = []
    for path in sorted((DOCS / "assets" / "js" / "widgets").glob("*.js")):
        rel = path.relative_to(ROOT)
        source = path.read_text(encoding="utf-8")
        code = JS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
        for m in JS_STRING.finditer(code):
            s = m.group(0)[1:-1]
            if " " not in s or not re.search(r"[a-záéíóúñ]{3}", s):
                continue
            s = re.sub(r"\$\{[^}]*\}", " ", s)
            line = code.count("\n", 0, m.start()) + 1
            out.append(Text(f"{rel}:{line}", _clean_inline(s), False))
    return out


def student_texts() -> list[Text]:
    texts = []
    for path in sorted(DOCS.glob("*.md")) + sorted((DOCS / "lectures").glob("*.md")):
        if path.name in ("glosario.md", "notacion.md"):
            continue                     # the pages that name the rejected words
        texts += _md_file(path)
    for path in sorted((DOCS / "notebooks").glob("*.ipynb")):
        texts += _notebook(path)
    return texts + _manifest() + _metric_labels() + _exercises() + _widgets()


# ---------------------------------------------------------------- the checks

def _in_gloss(prose: str, start: int, preferred: str) -> bool:
    """Inside parentheses that follow the Spanish term: «agrupación máxima (*max pooling*)».
    The term's first word (its stem, for plurals) must stand just before the parenthesis."""
    open_ = prose.rfind("(", 0, start)
    if open_ < 0 or ")" in prose[open_:start] or ")" not in prose[start:]:
        return False
    before = prose[max(0, open_ - 60):open_].lower()
    stems = {w[:5] for part in preferred.split(";") for w in part.lower().split()[:1] if len(w) > 2}
    return any(s and s in before for s in stems) or "en inglés" in prose[open_:start].lower()


def rejected_uses(texts, rules) -> list[str]:
    found = []
    for t in texts:
        for rule in rules:
            for m in rule.pattern.finditer(t.prose):
                if not _in_gloss(t.prose, m.start(), rule.preferred):
                    found.append(f"{t.where}: {rule} («{t.prose.strip()[:90]}»)")
    return found


ALT = re.compile(r"!\[[^\]]*\]")
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")


def unitalicised(texts, words) -> list[str]:
    found = []
    patterns = [(w, re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w])", re.IGNORECASE)) for w in words]
    for t in texts:
        if not t.italics_possible:
            continue
        prose = t.prose.replace("**", "")          # ***x*** is bold italics
        # Italics, and image alt text (an attribute: it cannot be italic).
        spans = [m.span() for m in ITALIC.finditer(prose)]
        spans += [(a - 1, b + 1) for a, b in (m.span() for m in ALT.finditer(prose))]
        for word, pattern in patterns:
            for m in pattern.finditer(prose):
                if not any(a < m.start() and m.end() < b for a, b in spans):
                    found.append(f"{t.where}: «{m.group(0)}» → «*{word}*» («{t.prose.strip()[:90]}»)")
    return found


# ---------------------------------------------------------------- tests

@pytest.fixture(scope="module")
def texts():
    return student_texts()


def test_the_glossary_has_rules_and_italic_words():
    text = GLOSSARY.read_text(encoding="utf-8")
    rules = glossary_rules(text)
    variants = {r.variant for r in rules}
    assert {"pooling", "weight decay", "arreglo(s)"} <= variants, sorted(variants)
    assert {"softmax", "dropout"} <= set(italic_words(text))
    assert notation_rules(NOTATION.read_text(encoding="utf-8")), "docs/notacion.md has no «Evita» column"


def test_the_scan_reaches_every_kind_of_student_text(texts):
    kinds = {t.where.split(":")[0].rsplit("/", 1)[0] for t in texts}
    for folder in ("docs", "docs/lectures", "docs/notebooks", "docs/figures",
                   "sitebuild", "sitebuild/exercise_bank", "docs/assets/js/widgets"):
        assert folder in kinds, folder
    assert len(texts) > 5000


def test_no_rejected_word_outside_a_gloss(texts):
    rules = glossary_rules(GLOSSARY.read_text(encoding="utf-8"))
    rules += notation_rules(NOTATION.read_text(encoding="utf-8"))
    found = rejected_uses(texts, rules)
    assert not found, f"{len(found)} palabras que el glosario evita:\n" + "\n".join(found)


def test_english_words_used_as_they_are_are_in_italics(texts):
    words = italic_words(GLOSSARY.read_text(encoding="utf-8"))
    found = unitalicised(texts, words)
    assert not found, f"{len(found)} sin cursiva:\n" + "\n".join(found)


@pytest.mark.parametrize("prose, bad", [
    ("La capa de pooling reduce el mapa.", True),
    ("La agrupación (*pooling*) reduce el mapa.", False),
    ("La agrupación máxima (*max pooling*) reduce el mapa.", False),
    ("Se usa `nn.MaxPool2d` y [la agrupación](https://x.org/pooling).", False),
    ("Una capa de max-pooling.", True),
])
def test_the_gloss_rule(prose, bad):
    rules = [Rule("pooling", "agrupación", _word_pattern("pooling"))]
    texts = [Text("x.md:1", t, True) for _, t in markdown_prose(prose)]
    assert bool(rejected_uses(texts, rules)) is bad


@pytest.mark.parametrize("prose, bad", [
    ("Aplicamos softmax a los *logits*.", True),
    ("Aplicamos *softmax* a los *logits*.", False),
    ("La ***softmax*** y `softmax(x)` y $\\mathrm{softmax}(z)$.", False),
    ("## Softmax: de puntuaciones a probabilidades", True),
])
def test_the_italics_rule(prose, bad):
    texts = [Text("x.md:1", t, True) for _, t in markdown_prose(prose)]
    assert bool(unitalicised(texts, ["softmax"])) is bad


DIFFUSION_STEP = re.compile(r"(?<!\w)(?:el |un |cada |del )?pasos? (?:\$t\$|\$t'\$|t\b)", re.IGNORECASE)


def _raw_markdown_lines():
    """Lines of Markdown prose with their math kept (the instant is written $t$)."""
    for path in sorted(DOCS.glob("*.md")) + sorted((DOCS / "lectures").glob("*.md")):
        if path.name in ("glosario.md", "notacion.md"):
            continue
        fence = None
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = FENCE.match(line)
            if fence or m:
                fence = None if fence and line.strip().startswith(fence) else (fence or m.group(1))
                continue
            yield f"{path.relative_to(ROOT)}:{n}", re.sub(r"`[^`]*`", " ", line)
    for path in sorted((DOCS / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], 1):
            if cell["cell_type"] == "markdown":
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                for n, line in enumerate(src.splitlines(), 1):
                    yield f"{path.relative_to(ROOT)}: celda {i}, línea {n}", re.sub(r"`[^`]*`", " ", line)


def test_the_diffusion_instant_is_not_a_paso():
    """docs/notacion.md: the position t in the noise process is «el instante $t$»;
    «paso» is the stride (and, qualified, the sampler's step)."""
    found = [f"{where}: «{m.group(0)}» → «instante $t$»" for where, line in _raw_markdown_lines()
             for m in DIFFUSION_STEP.finditer(line)]
    assert not found, "\n".join(found)


def test_the_instant_rule_catches_paso_t():
    assert DIFFUSION_STEP.search("recibe la imagen ruidosa, el paso $t$ y la clase")
    assert not DIFFUSION_STEP.search("recibe el instante $t$; con paso 2 la salida mide la mitad")
