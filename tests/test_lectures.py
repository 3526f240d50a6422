"""The lectures: every seed topic has a section, no stub, figures and includes resolve.

Works on the Markdown sources (fast) and on the built site (the session fixture).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

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
    "003 aumentación de datos": ("05", r"aumentaci"),
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
    "004 subtitulado": ("06", r"subtitul"),
    "000 DCGAN": ("07", r"DCGAN|GAN"),
    "000 Grad-CAM / caso COVID": ("07", r"Grad-CAM|COVID"),
    "000 Stable Diffusion": ("07", r"Stable Diffusion"),
    "000 difusión": ("07", r"difusi"),
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


def test_there_are_seven_lectures():
    assert [p.name[:2] for p in LECTURES] == ["01", "02", "03", "04", "05", "06", "07"]


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_seed_topic_has_a_section(topic):
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
