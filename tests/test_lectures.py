"""The lectures: every topic has a section, no stub, figures and includes resolve; decks fit
a class (slides, minutes), one glossary, one reference list, no page mentions source decks.

Works on the Markdown sources (fast) and on the built site (the session fixture).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np

import pytest
import yaml

from conftest import ROOT

DOCS = ROOT / "docs"
LECTURES = sorted((DOCS / "lectures").glob("[0-9][0-9]-*.md"))
FIGURES = DOCS / "figures"

# Seed topic -> (lecture, pattern that some `##` heading of that lecture must match).
# Seeds: 000 Charte (DL applications), 001 Encuentro 4 (CNN architectures), 002 Taller
# Keras (MNIST), 003 Díaz (architectures, augmentation, segmentation), 004 Terán (CNNs).
TOPICS = {
    "000 regresión → neurona": ("01", r"neurona"),
    "000 capas (matriz W)": ("01", r"capa"),
    "000 funciones de activación": ("01", r"activaci"),
    "000/002 paso hacia delante": ("01", r"hacia delante|forward"),
    "002 funciones de pérdida (MSE, entropía cruzada)": ("01", r"pérdida|error"),
    "002 retropropagación": ("01", r"retropropagaci|backprop"),
    "002 descenso del gradiente": ("01", r"descenso del gradiente|SGD"),
    "002 perceptrón": ("01", r"perceptr"),
    "004 la imagen como matriz": ("02", r"imagen|números|matriz"),
    "004 operación de convolución": ("02", r"convoluci"),
    "004 filtros / características de la X": ("02", r"filtro|X"),
    "004 relleno (padding)": ("02", r"relleno|padding"),
    "004 paso (stride)": ("02", r"paso|stride"),
    "004 campo receptivo": ("02", r"campo receptivo"),
    "003 fórmula del tamaño de salida": ("02", r"tamaño de (la )?salida"),
    "004 ReLU / no linealidad": ("02", r"ReLU|no linealidad"),
    "004 pooling": ("02", r"pooling|agrupamiento|agrupaci"),
    "004 compartición de parámetros": ("02", r"compart"),
    "004 softmax": ("03", r"softmax"),
    "004 entropía cruzada": ("03", r"entropía cruzada"),
    "004 ImageNet y su reto": ("03", r"ImageNet"),
    "001 modelo Keras / PyTorch": ("03", r"Keras|PyTorch"),
    "002 taller MNIST": ("03", r"MNIST"),
    "001/003 LeNet-5": ("04", r"LeNet"),
    "001/003 AlexNet": ("04", r"AlexNet"),
    "001/003 VGG": ("04", r"VGG"),
    "001 GoogLeNet / Inception": ("04", r"GoogLeNet|Inception"),
    "001/003 ResNet": ("04", r"ResNet|residual"),
    "003 desvanecimiento del gradiente": ("04", r"desvanec"),
    "003 Batch Normalization": ("04", r"normalizaci|BatchNorm|Batch Norm"),
    "003 tabla comparativa": ("04", r"compara"),
    "003 aumento de datos": ("05", r"aumento de datos"),
    "003 buenas prácticas": ("05", r"buenas prácticas|prácticas"),
    "000 transfer learning": ("05", r"transfer|transferencia"),
    "003 sobreajuste": ("05", r"sobreajuste"),
    "000 recursos (GPU)": ("05", r"GPU|recursos"),
    "000 frameworks": ("05", r"framework|bibliotecas"),
    "000 codificador-decodificador": ("06", r"codificador|decodificador|encoder"),
    "001 convolución transpuesta": ("06", r"transpuesta"),
    "000 skip connections": ("06", r"salto|skip"),
    "004 FCN": ("06", r"FCN|totalmente convolucional"),
    "001/003 U-Net": ("06", r"U-Net"),
    "003 Dice": ("06", r"Dice"),
    "000 metalografía": ("06", r"metal"),
    "004 detección (R-CNN, YOLO)": ("06", r"detecci"),
    "004 descripción automática de imágenes": ("06", r"descripción automática"),
    "000 DCGAN": ("07", r"DCGAN|GAN"),
    "000 Grad-CAM / caso COVID": ("07", r"Grad-CAM|COVID"),
    "000 Stable Diffusion": ("09", r"Stable Diffusion"),
    "000 difusión": ("08", r"difusi"),
    # Second edition (issue 12): the units that were missing.
    "optimización: momento y Adam": ("01", r"momento|Adam"),
    "inicialización": ("01", r"inicializaci"),
    "calendarios de la tasa": ("01", r"tasa de aprendizaje"),
    "sobreajustar un minilote": ("01", r"sobreajusta un minilote"),
    "convolución 1×1": ("02", r"1×1"),
    "después de ResNet": ("04", r"después de ResNet"),
    "detección: IoU, anclas, NMS, mAP": ("06", r"NMS|anclas"),
    "autocodificadores": ("08", r"autocodificador"),
    "VAE": ("08", r"VAE"),
    "FID": ("08", r"FID"),
    # Lecture 9: transformers, CLIP and Stable Diffusion on a miniature.
    "atención": ("09", r"atención"),
    "atención multicabeza": ("09", r"multicabeza"),
    "bloque transformer": ("09", r"transformer"),
    "ViT": ("09", r"ViT"),
    "aprendizaje contrastivo": ("09", r"contrastivo"),
    "CLIP": ("09", r"CLIP"),
    "InfoNCE": ("09", r"InfoNCE"),
    "espacio latente": ("09", r"latente"),
    "atención cruzada": ("09", r"atención cruzada"),
    "img2img": ("09", r"img2img"),
    "resumen del curso": ("09", r"Resumen del curso"),
}

MIN_WORDS = 1200  # prose + notes of a lecture, code excluded


def _lecture(number: str) -> Path:
    found = [p for p in LECTURES if p.name.startswith(number)]
    assert found, f"lecture {number} is missing from docs/lectures/"
    return found[0]


def _headings(text: str, level: int = 2) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.findall(rf"^{'#' * level}\s+(.+?)\s*$", text, flags=re.M)


def _sections(text: str) -> dict[str, str]:
    text = re.sub(r"```.*?```", "CODE", text, flags=re.S)
    parts = re.split(r"^##\s+(.+?)\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_there_are_nine_lectures():
    assert [p.name[:2] for p in LECTURES] == ["01", "02", "03", "04", "05", "06", "07", "08", "09"]


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_has_a_section(topic):
    number, pattern = TOPICS[topic]
    heads = _headings(_lecture(number).read_text(encoding="utf-8"))
    assert any(re.search(pattern, h, re.I) for h in heads), f"{topic}: no `##` in lecture {number} matches /{pattern}/"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_no_stub(path):
    text = path.read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    prose = re.sub(r"^--8<--.*$", "", prose, flags=re.M)
    words = len(re.findall(r"\w+", prose))
    assert words >= MIN_WORDS, f"{path.name}: only {words} words"
    sections = _sections(text)
    assert len(sections) >= 8, f"{path.name}: only {len(sections)} `##` sections"
    for head, body in sections.items():
        assert re.search(r"\w", body), f"{path.name}: section «{head}» is empty"
    assert "## Ejercicios" in text and "??? success" in text, f"{path.name}: no exercises with solutions"
    assert "## Referencias" in text, f"{path.name}: no references"


def test_nav_lists_every_page():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    listed = set()

    def walk(items):
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                if isinstance(value, list):
                    walk(value)
                else:
                    listed.add(value)

    walk(config["nav"])
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*") if p.suffix in (".md", ".ipynb")}
    pages = {p for p in pages if not p.startswith(("assets/", "figures/", "generated/")) and "README" not in p}
    assert pages <= listed, f"pages missing from nav: {sorted(pages - listed)}"


def test_figures_manifest_matches_files_and_pages():
    manifest = json.loads((FIGURES / "manifest.json").read_text())["figures"]
    files = {p.name for p in FIGURES.iterdir() if p.suffix in (".png", ".svg")}
    assert set(manifest) == files, f"manifest vs files: {set(manifest) ^ files}"
    used = set()
    for page in DOCS.rglob("*.md"):
        used |= set(re.findall(r"figures/([\w.-]+\.(?:png|svg))", page.read_text(encoding="utf-8")))
    assert used <= files, f"pages use figures that do not exist: {used - files}"
    assert files <= used, f"figures no page shows (orphans): {files - used}"
    for name, entry in manifest.items():
        for key in ("alt", "caption", "data", "command", "device", "seed", "duration_s"):
            assert entry.get(key) not in (None, ""), f"{name}: manifest lacks {key}"


def test_every_image_has_alt_text(site_dir):
    missing = []
    for html in site_dir.rglob("*.html"):
        if html.relative_to(site_dir).parts[0] == "assets":
            continue
        for tag in re.findall(r"<img\b[^>]*>", html.read_text(encoding="utf-8")):
            alt = re.search(r'\balt="([^"]*)"', tag)
            if not alt or len(alt.group(1).strip()) < 5:
                missing.append(f"{html.relative_to(site_dir)}: {tag[:120]}")
    assert not missing, "\n".join(missing)


def test_code_on_pages_is_included_not_copied():
    """Python code blocks on lecture pages come from snippets, except Keras (not in our package)."""
    for path in LECTURES:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:python|py)\b.*?\n(.*?)```", text, flags=re.S):
            if "--8<--" in block or "keras" in block.lower() or "tensorflow" in block.lower():
                continue
            assert len(block.strip().splitlines()) <= 8, (
                f"{path.name}: a {len(block.splitlines())}-line Python block is typed into the page; "
                "include the real source with --8<-- instead"
            )


# ---------------------------------------------------------------- decks that fit a class

MAX_SLIDES = 32


def _front_matter(text: str) -> dict:
    m = re.match(r"---\n(.*?)\n---\n", text, flags=re.S)
    return yaml.safe_load(m.group(1)) if m else {}


def _article(page_html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(page_html, "html.parser").select_one("article.md-content__inner")


def _articles_without_code(site_dir, skip=()):
    """(path, article) of every built page but assets/ and search/ (and `skip`), with code
    blocks and notebook cells removed: the prose a reader sees."""
    for page in sorted(site_dir.rglob("*.html")):
        where = page.relative_to(site_dir)
        if where.parts[0] in ("assets", "search", *skip):
            continue
        art = _article(page.read_text(encoding="utf-8"))
        if art is None:
            continue
        for code in art.select("pre, code, .jp-InputArea, .jp-OutputArea"):
            code.decompose()
        yield where, art


def _slide_count(article) -> int:
    return len(_slide_groups(article))


def _slide_groups(article) -> list[list]:
    """Python port of splitSlides in docs/assets/js/slides/split.js: a slide starts at each
    top-level h2 or hr.slide-break; the h1 and its first paragraph (plus notes) form the title."""
    from bs4 import NavigableString, Tag

    groups, title, title_para = [], False, False
    for node in article.children:
        if isinstance(node, NavigableString):
            if not groups and node.strip():
                groups.append([node])
            elif groups:
                groups[-1].append(node)
            continue
        if not isinstance(node, Tag):
            continue
        if node.name in ("script", "style") or (node.name == "a" and "md-content__button" in node.get("class", [])):
            continue
        notes = node.name == "details" and "notes" in node.get("class", [])
        if node.name == "h2" or (node.name == "hr" and "slide-break" in node.get("class", [])):
            groups.append([]); title = False
        elif node.name == "h1" and not groups:
            groups.append([]); title = True
        elif not groups:
            groups.append([])
        elif title and not notes and (title_para or node.name != "p"):
            groups.append([]); title = False
        elif title and node.name == "p":
            title_para = True
        groups[-1].append(node)
    return groups


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_lecture_has_minutes_and_a_timing_plan(path):
    text = path.read_text(encoding="utf-8")
    minutes = _front_matter(text).get("minutes")
    assert isinstance(minutes, int) and 30 <= minutes <= 90, f"{path.name}: front matter needs `minutes:` (got {minutes!r})"
    first_notes = re.search(r'\?\?\? notes "Notas del ponente"\n((?:    .*\n|\n)+)', text)
    assert first_notes and re.search(rf"Plan de {minutes} minutos", first_notes.group(1)), (
        f"{path.name}: the opening speaker notes must give the {minutes}-minute timing plan")
    plan = re.search(rf"Plan de {minutes} minutos:(.*?)(?:\n\n|\Z)", first_notes.group(1), flags=re.S).group(1)
    parts = [int(n) for n in re.findall(r"\((\d+)\)", plan)]
    assert sum(parts) == minutes, f"{path.name}: the timing plan adds up to {sum(parts)}, not {minutes}"


# What a slide costs in class: about a minute to present; a live demo 3 minutes more (run,
# looked at and discussed, a demo slide takes 3-4 minutes in all). Title, exercises and
# references are not presented. No slack: this counts only the time to show and say each
# slide, not the board work and questions a segment also holds, so a segment's minutes
# must at least cover it (the plan's margin is its own, in its minutes).
SLIDE_MINUTES, DEMO_MINUTES, SEGMENT_SLACK = 1, 3, 0
NOT_PRESENTED = ("Ejercicios", "Referencias")


def _slide_plan(article) -> list[tuple[str, int]]:
    """(label, live demos) of every slide from the first `##` on, as the presenter meets them
    (the title comes before it); a demo hidden on slides (reading-only) or in a closed
    collapsible does not count."""
    from bs4 import Tag

    slides, last = [], None
    for group in _slide_groups(article):
        head = next((n for n in group if isinstance(n, Tag) and n.name == "h2"), None)
        if head is None and last is None:
            continue  # the title slide and anything before the first `##`
        if head is not None:
            last = " ".join(head.get_text().replace("¶", "").split())
        label = last if head is not None else f"{last} (cont.)"
        demos = 0
        for node in group:
            if not isinstance(node, Tag):
                continue
            found = [node] if node.name == "div" and "demo" in node.get("class", []) else node.select("div.demo")
            for demo in found:
                hidden = demo.find_parent(class_="reading-only") or "reading-only" in demo.get("class", [])
                closed = any(d.name == "details" and not d.has_attr("open") for d in demo.parents)
                demos += not (hidden or closed)
        slides.append((label, demos))
    return slides


def _plan_segments(text: str) -> list[tuple[str | None, int]]:
    """The opening notes' plan as (anchor slide title or None, minutes) per segment."""
    minutes = _front_matter(text)["minutes"]
    notes = re.search(r'\?\?\? notes "Notas del ponente"\n((?:    .*\n|\n)+)', text).group(1)
    plan = re.search(rf"Plan de {minutes} minutos:(.*?)(?:\n\n|\Z)", notes, flags=re.S).group(1)
    plan = " ".join(plan.split())
    segments = []
    for part in re.findall(r"(.*?)\((\d+)\)", plan):
        anchor = re.match(r"[;.,\s]*(?:y\s+)?«([^»]+)»", part[0])
        title = anchor and re.sub(r"[*`]", "", anchor.group(1)).rstrip("…").strip()
        segments.append((title or None, int(part[1])))
    return segments


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_timing_plan_fits_its_slides_and_demos(site_dir, path):
    """Slides × 1 min + live demos × 3 min fit the lecture's minutes and every segment's: the
    plan names the slide that opens each segment, «Título» (minutes)."""
    text = path.read_text(encoding="utf-8")
    minutes = _front_matter(text)["minutes"]
    page = site_dir / "lectures" / path.stem / "index.html"
    slides = [(label, d) for label, d in _slide_plan(_article(page.read_text(encoding="utf-8")))
              if not label.startswith(NOT_PRESENTED)]
    cost = lambda part: sum(SLIDE_MINUTES + DEMO_MINUTES * d for _, d in part)
    assert cost(slides) <= minutes, f"{path.name}: {cost(slides)} minutes of slides and demos in a {minutes}-minute lecture"
    segments = _plan_segments(text)
    labels = [label for label, _ in slides]
    starts = []
    for anchor, _ in segments:
        assert anchor, f"{path.name}: every segment of the plan must open with «the title of its first slide»"
        # the first slide after the previous segment's start whose title begins with the anchor
        after = starts[-1] + 1 if starts else 0
        hits = [i for i, label in enumerate(labels) if i >= after and label.startswith(anchor)
                and not label.endswith("(cont.)")]
        assert hits, f"{path.name}: the plan's «{anchor}» names no slide after the previous segment's"
        starts.append(hits[0])
    assert starts[0] == 0, f"{path.name}: the plan's first segment must start at the first slide, «{labels[0]}»"
    over = []
    for k, (anchor, planned) in enumerate(segments):
        part = slides[starts[k]:starts[k + 1] if k + 1 < len(starts) else len(slides)]
        if cost(part) > planned + SEGMENT_SLACK:
            over.append(f"«{anchor}»: {len(part)} slides, {sum(d for _, d in part)} demos = {cost(part)} min in {planned}")
    assert not over, f"{path.name}: segments that do not fit their minutes:\n" + "\n".join(over)


def test_plan_parser_reads_anchors_and_minutes():
    text = ('---\nminutes: 30\n---\n\n# T\n\nIntro.\n\n??? notes "Notas del ponente"\n    Objetivo.\n\n'
            '    Plan de 30 minutos: «Primera» la idea (10); «*Segunda*…» la\n    demo (15) y «Tercera» cierre (5).\n')
    assert _plan_segments(text) == [("Primera", 10), ("Segunda", 15), ("Tercera", 5)]
    assert _plan_segments(text.replace("«*Segunda*…» ", "")) == [("Primera", 10), (None, 15), ("Tercera", 5)]


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_lecture_fits_in_32_slides(site_dir, path):
    page = site_dir / "lectures" / path.stem / "index.html"
    count = _slide_count(_article(page.read_text(encoding="utf-8")))
    assert 8 <= count <= MAX_SLIDES, f"{path.name}: {count} slides (at most {MAX_SLIDES})"


def test_slide_count_follows_slides_js():
    """The port above splits like slides.js: title (h1 + paragraph + notes), then one slide per h2 / break."""
    doc = ('<article class="md-content__inner"><h1>T</h1><p>intro</p><details class="notes">n</details>'
           '<h2>a</h2><p>x</p><hr class="slide-break"><p>y</p><h2>b</h2><p>z</p></article>')
    from bs4 import BeautifulSoup

    art = BeautifulSoup(doc, "html.parser").select_one("article")
    assert _slide_count(art) == 4
    art2 = BeautifulSoup(doc.replace("<details", "<ul><li>extra</li></ul><details"), "html.parser").select_one("article")
    assert _slide_count(art2) == 5  # a list after the title paragraph opens its own slide


def _course_sources():
    """(name, text) of every page source: Markdown prose (code blocks removed) and notebook Markdown cells."""
    for page in sorted(DOCS.rglob("*.md")):
        if page.relative_to(DOCS).parts[0] == "assets":
            continue
        # a python-cell's data-code is code, not prose
        yield page.relative_to(DOCS).as_posix(), re.sub(r'data-code="[^"]*"', "", page.read_text(encoding="utf-8"))
    for nb in sorted((DOCS / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        yield nb.name, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for svg in sorted((DOCS / "lectures" / "diagrams").glob("*.svg")):
        yield svg.name, svg.read_text(encoding="utf-8")


SOURCE_DECKS = re.compile(
    r"\bseed\s*0\d\d|\bseed\b|presentaci[oó]n(?:es)?\s+(?:de\s+partida|original)|"
    r"diapositivas?\s+(?:de\s+partida|originales?)|diapositiva\s+original|Encuentro\s+(?:sincr[oó]nico\s+)?4|"
    r"Ter[aá]n|Emily\s+D[ií]az|E\.\s+D[ií]az|diapositivas\s+de\s+(?:D\.|David)|taller\s+(?:de\s+Keras\s+)?(?:original|del\s+CIMAT)|"
    r"Rivera\s+y", re.I)


def test_no_page_mentions_the_source_decks(site_dir):
    found = []
    for name, text in _course_sources():
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        found += [f"{name}: «{m.group(0)}»" for m in SOURCE_DECKS.finditer(prose)]
    for where, art in _articles_without_code(site_dir):
        found += [f"{where}: «{m.group(0)}»" for m in SOURCE_DECKS.finditer(art.get_text(" "))]
    assert not found, "pages mention the source decks:\n" + "\n".join(found)


def test_correction_boxes_say_error_frecuente():
    for path in LECTURES:
        for title in re.findall(r'^!!! warning "(.*)"', path.read_text(encoding="utf-8"), flags=re.M):
            assert "Corrección" not in title, f"{path.name}: box «{title}»"
            if title.startswith("Error frecuente"):
                continue
            assert title in ("Los pesos no vienen con el curso",), f"{path.name}: warning box «{title}» is neither an «Error frecuente» nor known"


# ---------------------------------------------------------------- one term per idea

# preferred term -> variants the course does not use (regexes, case-insensitive)
GLOSSARY = {
    "relleno": [r"\bacolchad", r"\brellenado\b"],
    "paso": [r"\bzancada", r"\btranco\b"],
    "minilote": [r"\bmini-lote", r"\bmini lote"],
    "aumento de datos": [r"aumentación"],  # the notebook's file name 05-aumentacion is a slug
    "aprendizaje por transferencia": [r"transferencia de aprendizaje", r"(?<![*>\w])transfer learning(?![*<])"],
    "agrupación": [r"\bagrupamiento"],
    "transpuesta": [r"\btraspuest"],
    "descripción automática de imágenes": [r"\bsubtitulad"],
    "núcleo": [r"\bkernel(?:es|s)?\b(?![_(=])"],
}
# slips fixed once and kept fixed
SLIPS = [r"se ruidosa", r"ruidosarla", r"pocas pesas", r"retecle", r"Jitter de color", r"Mapeo identidad",
         r"(?i)\btallo\b", r"el suelo aparece", r"61,706", r"\bpasto\b", r"ficha «?sin clase", r"mini-lote"]


def test_glossary_lists_every_preferred_term():
    glossary = (DOCS / "glosario.md").read_text(encoding="utf-8")
    rows = [r for r in glossary.splitlines() if r.startswith("| ") and "---" not in r][1:]
    assert len(rows) >= 40
    spanish = " ".join(r.split("|")[1] for r in rows).lower()
    for term in GLOSSARY:
        assert term in spanish, f"glossary lacks «{term}»"
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        # Español | Inglés | Evita (may be empty; tests/test_vocabulary.py reads it) | Dónde se define
        assert len(cells) == 4 and cells[0] and cells[1] and cells[3], f"glossary row needs Spanish, English and where: {row}"
        assert re.search(r"\]\(lectures/0\d-[\w-]+\.md#[\w-]+\)", cells[3]), f"row without a link to its lecture: {row}"


@pytest.mark.parametrize("term", sorted(GLOSSARY))
def test_rejected_variants_appear_nowhere(site_dir, term):
    """The glossary itself is exempt: its English column names the English terms."""
    found = []
    for name, text in _course_sources():
        if name == "glosario.md":
            continue
        prose = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", text, flags=re.S))
        for pattern in GLOSSARY[term]:
            found += [f"{name}: «{m.group(0)}»" for m in re.finditer(pattern, prose, re.I)]
    for where, art in _articles_without_code(site_dir, skip=("glosario",)):
        text = str(art) if term == "aprendizaje por transferencia" else art.get_text(" ")
        for pattern in GLOSSARY[term]:
            found += [f"{where}: «{m.group(0)}»" for m in re.finditer(pattern, text, re.I)]
    assert not found, f"«{term}» is the course's term; found variants:\n" + "\n".join(found)


def test_spanish_slips_stay_fixed():
    found = []
    for name, text in _course_sources():
        for pattern in SLIPS:
            found += [f"{name}: «{m.group(0)}»" for m in re.finditer(pattern, text)]
    manifest = (FIGURES / "manifest.json").read_text(encoding="utf-8")
    found += [f"manifest.json: «{m.group(0)}»" for p in SLIPS for m in re.finditer(p, manifest)]
    assert not found, "\n".join(found)


def test_glossary_links_reach_their_definitions(site_dir):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((site_dir / "glosario" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.select("article a[href*='lectures/']")]
    assert len(links) >= 40
    for href in links:
        path, anchor = href.split("#")
        target = (site_dir / "glosario" / path).resolve() / "index.html" if not path.endswith(".html") else (site_dir / "glosario" / path).resolve()
        assert target.exists(), href
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), f"{href}: no heading with that anchor"


# ---------------------------------------------------------------- one reference list

def test_lectures_take_their_references_from_the_one_list():
    from sitebuild import references

    for path in LECTURES:
        text = path.read_text(encoding="utf-8")
        section = text.split("\n## Referencias\n", 1)[1]
        assert section.strip() == f"<!-- generated: references-{path.name[:2]} -->", (
            f"{path.name}: «Referencias» must be the generated block, not a typed list")
        assert references.for_lecture(int(path.name[:2])).count("\n- ") >= 3


def test_each_cited_id_has_one_year(site_dir):
    """Every arXiv id or DOI anywhere in the built pages is in the list, and every list entry on any
    page gives the list's year; the prose citations («He et al. (2016)») use the same year."""
    from sitebuild import references

    by_id = {r["id"].split(":", 1)[1].lower(): r for r in references.REFERENCES.values()
             if r["id"] and r["id"].startswith(("arXiv:", "doi:"))}
    ident = re.compile(r"(?:arXiv:|arxiv\.org/abs/)(\d{4}\.\d{4,5})|(?:doi:|doi\.org/)(10\.\d{4,9}/[^\s\"<>\]]+)", re.I)
    problems = []
    for page in site_dir.rglob("*.html"):
        rel = page.relative_to(site_dir)
        if rel.parts[0] in ("assets", "search"):
            continue
        art = _article(page.read_text(encoding="utf-8"))
        if art is None:
            continue
        for li in art.select("li"):
            text = li.get_text(" ")
            for m in ident.finditer(text):
                key = (m.group(1) or m.group(2)).rstrip(".,;").lower()
                while key.count(")") > key.count("("):  # a DOI inside parentheses
                    key = key[:-1]
                ref = by_id.get(key)
                if ref is None:
                    problems.append(f"{rel}: {key} is not in sitebuild/references.py")
                    continue
                years = set(re.findall(r"\((\d{4})\)", text))
                if years and years != {str(ref["year"])}:
                    problems.append(f"{rel}: {key} with year(s) {sorted(years)}, the list says {ref['year']}")
    for path in LECTURES:
        prose = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
        for ref in references.REFERENCES.values():
            if not ref["short"]:
                continue
            for m in re.finditer(re.escape(ref["short"]) + r"\s*(?:\(|,\s*)(\d{4})", prose):
                if int(m.group(1)) != ref["year"]:
                    problems.append(f"{path.name}: «{m.group(0)}» but the list says {ref['year']}")
    assert not problems, "\n".join(problems)


def test_generated_tables_cite_the_years_of_the_list():
    """A table the code writes («He et al., 2016» in the architecture comparison) gives the
    year of sitebuild/references.py for the paper its link points to."""
    from sitebuild import tables
    from sitebuild import references

    by_id = {r["id"].split(":", 1)[1].lower(): r for r in references.REFERENCES.values()
             if r["id"] and r["id"].startswith(("arXiv:", "doi:"))}
    cited = re.findall(r"\[[^\]]*?(\d{4})\]\((?:https://arxiv\.org/abs/|https://doi\.org/)([^)]+)\)",
                       tables.architecture_table())
    checked = [(year, key) for year, key in cited if key.lower() in by_id]
    assert len(checked) >= 5, cited
    wrong = [f"{key}: {year}, the list says {by_id[key.lower()]['year']}"
             for year, key in checked if int(year) != by_id[key.lower()]["year"]]
    assert not wrong, wrong


def test_the_reference_page_lists_every_entry(site_dir):
    from sitebuild import references

    text = (site_dir / "referencias" / "index.html").read_text(encoding="utf-8")
    for key, ref in references.REFERENCES.items():
        assert html.escape(ref["title"], quote=False) in text, f"{key} missing from referencias.md"


# ---------------------------------------------------------------- numbers the page computes

def _python_cells(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [html.unescape(c) for c in re.findall(r'data-demo="python-cell"[^>]*?data-code="(.*?)"', text, flags=re.S)]


def test_learning_rate_cell_shows_what_the_text_says():
    """Lecture 1 promises: a tiny rate barely moves, a good one converges, a large one diverges;
    and the chain rule's gradient is the finite differences' one."""
    from demos import usercode

    cells = _python_cells(_lecture("01"))
    out = usercode.run(next(c for c in cells if "alfa" in c), np.zeros((8, 8)))
    assert "error" not in out, out.get("error")
    rows = re.findall(r"alfa ([\d.]+): ([\d.e+-]+) → ([\d.e+-]+)", out["stdout"])
    losses = {float(a): (float(l0), float(l40)) for a, l0, l40 in rows}
    assert set(losses) == {0.001, 0.1, 0.5}, out["stdout"]
    small, good, large = losses[0.001], losses[0.1], losses[0.5]
    assert small[1] > 0.5 * small[0], f"the small rate should barely move: {small}"
    # the speaker notes read the small rate's numbers aloud: they must be the cell's
    said = re.search(r"la pérdida apenas\s+baja en 40 (?:pasos|iteraciones) \(de (\d+,\d+) a unos (\d+,\d+)\)", _lecture("01").read_text(encoding="utf-8"))
    assert said, "lecture 1's notes no longer quote the small rate's losses"
    assert (float(said.group(1).replace(",", ".")), float(said.group(2).replace(",", "."))) == (round(small[0], 3), round(small[1], 2))
    assert good[1] < 1e-6 * good[0], f"the good rate should converge: {good}"
    assert large[1] > 1e6 * large[0], f"the large rate should diverge: {large}"
    out = usercode.run(next(c for c in cells if "numérico" in c), np.zeros((8, 8)))
    assert "error" not in out, out.get("error")
    grads = re.search(r"analítico = (-?[\d.]+)\s+dL/dw numérico\s+= (-?[\d.]+)", out["stdout"])
    assert grads and abs(float(grads.group(1)) - float(grads.group(2))) < 1e-5, out["stdout"]
    # the curve it returns is L(w) (one lit pixel a column), falling as w grows (dL/dw < 0)
    rows = np.argmax(np.asarray(out["image"]), axis=0)
    assert np.all(np.diff(rows) >= 0) and rows[-1] - rows[0] > 50, rows


def test_lecture_2_cells_show_what_their_slides_say():
    """The X's three maps each peak at 1 (a perfect match); the receptive field cell ends at
    16×16 after VGG-16's first two blocks (the notes say so) and lightens that square."""
    from demos import usercode

    cells = _python_cells(_lecture("02"))
    out = usercode.run(next(c for c in cells if "x_diag_down" in c), np.zeros((8, 8)))
    assert "error" not in out, out.get("error")
    assert re.findall(r"(x_\w+) - máximo ([\d.]+)", out["stdout"]) == [
        ("x_diag_down", "1.0"), ("x_center", "1.0"), ("x_diag_up", "1.0")], out["stdout"]
    assert out["shape"] == [9 * 16, (9 + 3 * 10) * 16], out["shape"]
    assert re.search(r"cada\s+neurona ve 16×16 píxeles", _lecture("02").read_text(encoding="utf-8"))
    img = np.full((64, 80), 100, np.uint8)
    out = usercode.run(next(c for c in cells if "capas" in c), img)
    assert "error" not in out, out.get("error")
    assert out["stdout"].splitlines()[-1].split() == ["max-pool", "2×2", "16", "4"], out["stdout"]
    lit = np.argwhere(np.asarray(out["image"]) != 100)
    assert lit.min(axis=0).tolist() == [24, 32] and lit.max(axis=0).tolist() == [39, 47], lit


# ---------------------------------------------------------------- code that fits a slide

MAX_SLIDE_CODE_LINES = 20  # issue 11: a code slide shows a 10–20 line excerpt, the whole file collapsed
SNIPPET = re.compile(r'^\s*--8<-- "([^":]+)(?::([\w-]+))?"\s*$')
SECTION_MARK = re.compile(r"--8<-- \[(?:start|end):[\w-]+\]")


def _snippet_lines(spec_file: str, section: str | None) -> list[str]:
    """The lines pymdownx.snippets puts in the page: a named section, or the whole file,
    without the section markers (nested ones included)."""
    lines = (ROOT / spec_file).read_text(encoding="utf-8").splitlines()
    if section:
        start = [i for i, l in enumerate(lines) if f"--8<-- [start:{section}]" in l]
        end = [i for i, l in enumerate(lines) if f"--8<-- [end:{section}]" in l]
        assert len(start) == len(end) == 1, f"{spec_file}: section {section} must be marked once"
        lines = lines[start[0] + 1:end[0]]
    return [l for l in lines if not SECTION_MARK.search(l)]


def _slide_code_blocks(text: str):
    """(line number, rendered line count, includes) of every fenced code block a slide shows:
    blocks inside a closed collapsible (`??? `; slide mode shows only its summary) are left out,
    tabs and open collapsibles (`???+`) are shown."""
    lines = text.splitlines()
    hidden_at = []  # indents of the closed collapsibles we are inside
    i = 0
    while i < len(lines):
        line = lines[i]
        indent = len(line) - len(line.lstrip())
        if line.strip():
            hidden_at = [k for k in hidden_at if indent > k]
        fence = re.match(r"^(\s*)(```+)", line)
        if re.match(r"^\s*\?\?\? ", line):
            hidden_at.append(indent)
        elif fence:
            close = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == fence.group(2))
            body, includes = 0, []
            for l in lines[i + 1:close]:
                m = SNIPPET.match(l)
                if m:
                    body += len(_snippet_lines(m.group(1), m.group(2)))
                    includes.append(m.group(1) + (":" + m.group(2) if m.group(2) else ""))
                else:
                    body += 1
            if not hidden_at:
                yield i + 1, body, includes
            i = close
        i += 1


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_code_on_a_slide_fits_in_20_lines(path):
    """An excerpt grows when its source section does: move the `# --8<-- [start:...]` markers in the
    source (or split the section in two), and put the whole file in a `??? source` collapsible."""
    too_long = [f"{path.name}:{line}: {n} lines ({', '.join(inc) or 'typed'})"
                for line, n, inc in _slide_code_blocks(path.read_text(encoding="utf-8"))
                if n > MAX_SLIDE_CODE_LINES]
    assert not too_long, "code blocks shown on a slide over 20 lines:\n" + "\n".join(too_long)


def test_slide_code_counter_sees_what_a_slide_shows():
    """The counter expands sections, skips closed collapsibles and keeps tabs and open ones."""
    doc = ('=== "A"\n\n    ```python\n    --8<-- "lecture_models/models/dcgan.py:weights-init"\n    ```\n\n'
           '??? source "todo"\n\n    ```python\n    --8<-- "lecture_models/models/dcgan.py"\n    ```\n\n'
           '???+ note "abierta"\n\n    ```python\n    x = 1\n    ```\n\nTexto.\n\n```python\ny = 2\nz = 3\n```\n')
    blocks = list(_slide_code_blocks(doc))
    assert [(n, inc) for _, n, inc in blocks] == [
        (7, ["lecture_models/models/dcgan.py:weights-init"]), (1, []), (2, [])]
