"""Build steps the MkDocs hook calls: generated tables, figure captions, CDN stripping."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from sitebuild import tables
from sitebuild import captions, generated, references


def test_marker_is_replaced_by_code_output():
    md = "Texto\n\n<!-- generated: output-size-examples -->\n\nMás texto"
    out = generated.expand(md)
    assert "<!--" not in out and "| C1 de LeNet-5" in out and "**28**" in out


def test_unknown_marker_fails_the_build_with_the_known_names():
    with pytest.raises(generated.GeneratedError, match="output-size-examples"):
        generated.expand("<!-- generated: no-such-table -->")


def test_dice_examples_reproduce_seed_003():
    table = tables.dice_examples()
    assert "**0,75**" in table and "**0,80**" in table


def test_figure_gets_caption_and_provenance(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"version": 1, "figures": {"lenet_curves.svg": {
        "caption": "Curvas de LeNet-5", "data": "MNIST (10 000 dígitos reales)",
        "metrics": {"test_accuracy": 0.9843, "epochs": 3}, "device": "cpu (2 núcleos)",
        "duration_s": 41.26, "seed": 0, "git_commit": "abcdef0123", "command": "python -m lecture_models figures"}}}))
    html = '<p><img alt="Curvas" src="../figures/lenet_curves.svg" /></p>'
    out = captions.add_figure_captions(html, manifest)
    assert out.startswith('<figure class="course-figure"><img alt="Curvas"')
    assert "Curvas de LeNet-5" in out
    assert "exactitud en prueba 98,4\u00a0%" in out and "41,3\u00a0s" in out and "semilla 0" in out


def test_weights_provenance_is_rendered_at_build_time_like_a_caption(tmp_path):
    """One renderer for figures and weights: the widget shows this line as it is."""
    entry = {"file": "assets/models/lenet.npz", "sha256": "6e160a92395f" + "0" * 52, "bytes": 121856,
             "dtype": "float16", "parameters": 61706, "data": "MNIST", "metrics": {"test_accuracy": 0.988},
             "device": "cpu (2 cores)", "duration_s": 371.4, "seed": 0, "git_commit": "66c86ca0",
             "command": "python -m lecture_models figures --only lenet"}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"version": 1, "figures": {}, "models": {"lenet": entry}}))
    out = captions.models_provenance(manifest)
    assert out == {"lenet": {"file": entry["file"], "sha256": entry["sha256"], "text": (
        "Pesos: lenet.npz (119\u00a0KB, float16, sha256 6e160a92395f…), 61\u202f706 parámetros · MNIST · "
        "exactitud en prueba 98,8\u00a0% · cpu (2 cores) · 371,4\u00a0s · semilla 0 · commit 66c86ca · "
        "entrenados con: python -m lecture_models figures --only lenet")}}
    assert captions.provenance(entry) in out["lenet"]["text"]  # the figures' renderer, once


def test_figure_missing_from_manifest_fails(tmp_path):
    with pytest.raises(captions.CaptionError, match="make figures"):
        captions.add_figure_captions('<p><img alt="x" src="../figures/nope.png"></p>', tmp_path / "manifest.json")


def test_cdn_scripts_are_removed():
    html = ('<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js"></script>'
            '<script type="module">import mermaid from "https://cdnjs.cloudflare.com/x/mermaid.esm.min.mjs";</script><p>ok</p>')
    out = captions.strip_cdn_urls(html + '<script src=""> </script>')
    assert "cdnjs" not in out and "<script src" not in out and out.endswith("<p>ok</p>")


def test_notebook_links_to_pages_are_resolved():
    from sitebuild import links

    pages = {"lectures/05-entrenamiento.md": "../../lectures/05-entrenamiento/"}
    html = '<a href="../lectures/05-entrenamiento.md#sobreajuste">x</a><a href="https://x.org/a.md">y</a>'
    out = links.rewrite_md_links(html, "notebooks/05-aumentacion.ipynb", pages.get)
    assert 'href="../../lectures/05-entrenamiento/#sobreajuste"' in out and "https://x.org/a.md" in out
    with pytest.raises(links.LinkError, match="no-such.md"):
        links.rewrite_md_links('<a href="no-such.md">z</a>', "notebooks/n.ipynb", pages.get)


def test_spanish_numbers():
    from lecture_models import spanish

    assert spanish.integer(61706) == "61\u202f706" and spanish.integer(5000) == "5000"
    assert spanish.integer(138_357_544) == "138\u202f357\u202f544" and spanish.integer(-12345) == "-12\u202f345"
    assert spanish.number(0.4249, 2) == "0,42" and spanish.number(12345.67, 1) == "12\u202f345,7"
    assert spanish.number(-0.04, 1) == "-0,0" and spanish.number(1814.4, 0) == "1814"
    assert spanish.percent(0.9843) == "98,4\u00a0%"


def test_browser_python_is_bytecode_of_pyodides_own_interpreter(site_dir):
    """The standard library and NumPy reach the browser as .pyc compiled by the vendored
    Pyodide (sitebuild/pyc.py): CPython 3.12's magic number, unchecked-hash flags (no
    source mtime to compare), no source left beside them, and the lock records the
    compiled wheel's sha256 (the runtime refuses a wheel that does not match)."""
    import hashlib
    import zipfile

    pyodide = site_dir / "assets" / "vendor" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["python"].startswith("3.12.")
    magic_312 = (3531).to_bytes(2, "little") + b"\r\n"
    wheels = [entry["file_name"] for entry in lock["packages"].values()]
    for name in ["python_stdlib.zip", *wheels]:
        with zipfile.ZipFile(pyodide / name) as z:
            names = z.namelist()
            pycs = [n for n in names if n.endswith(".pyc")]
            assert len(pycs) > 100, name
            assert not [n for n in names if n.endswith(".py")], f"{name} still ships source"
            heads = {z.read(n)[:8] for n in pycs}
            assert {h[:4] for h in heads} == {magic_312}, name
            assert {int.from_bytes(h[4:8], "little") for h in heads} == {0b01}, name
    for entry in lock["packages"].values():
        assert hashlib.sha256((pyodide / entry["file_name"]).read_bytes()).hexdigest() == entry["sha256"]


def test_wheels_ship_only_what_runs_and_a_record_that_matches(site_dir):
    """Stubs, headers, static libraries, Cython and C sources and NumPy's test-only
    extension modules are dropped (sitebuild/vendor.py BUILD_ONLY: fewer files to unpack
    at each start); the one test module NumPy imports at start-up stays; the wheel's
    RECORD lists exactly its files with their sha256."""
    import base64
    import csv
    import hashlib
    import io
    import zipfile

    from sitebuild.vendor import BUILD_ONLY

    pyodide = site_dir / "assets" / "vendor" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    numpy = pyodide / lock["packages"]["numpy"]["file_name"]
    with zipfile.ZipFile(numpy) as z:
        names = set(z.namelist())
        assert not [n for n in names if BUILD_ONLY.search(n)]
        assert not [n for n in names if n.endswith((".pyi", ".h", ".a"))]
        assert any(n.startswith("numpy/_core/_multiarray_tests.") for n in names)  # _add_newdocs imports it
        assert len([n for n in names if n.endswith(".so")]) == 15
        record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
        rows = list(csv.reader(io.StringIO(z.read(record_name).decode())))
        assert {r[0] for r in rows} == names
        for path, digest, size in rows:
            if path == record_name:
                continue
            data = z.read(path)
            want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert (digest, int(size)) == (want, len(data)), path


def test_local_images_become_lazy_with_their_box_kept(tmp_path):
    """sitebuild/images.py: a local PNG or fixed-size SVG gets loading="lazy" and its
    intrinsic size (or the height that matches the author's width), so nothing moves
    when it loads; remote, data: and unsized images keep what they had."""
    import struct
    import zlib

    from sitebuild.images import intrinsic_size, lazy_images

    def png(w, h):
        ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(png(1517, 979))
    (tmp_path / "d.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1400px" height="500" viewBox="0 0 700 250"/>')
    (tmp_path / "v.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 700 250"/>')
    assert intrinsic_size(tmp_path / "figures" / "a.png") == (1517, 979)
    assert intrinsic_size(tmp_path / "d.svg") == (1400, 500)
    assert intrinsic_size(tmp_path / "v.svg") is None
    find = lambda path: (tmp_path / path) if (tmp_path / path).is_file() else None  # noqa: E731
    html = ('<p><img alt="a" src="../../figures/a.png" width="720"></p><img src="../../d.svg">'
            '<img src="../../v.svg"><img src="https://example.org/x.png"><img src="data:image/png;base64,AA==">'
            '<img src="../../missing.png"><img src="../../figures/a.png" loading="eager">')
    out = lazy_images(html, "lectures/02/", find)
    assert '<img alt="a" src="../../figures/a.png" width="720" loading="lazy" decoding="async" height="465">' in out
    assert '<img src="../../d.svg" loading="lazy" decoding="async" width="1400" height="500">' in out
    assert '<img src="../../v.svg" loading="lazy" decoding="async">' in out
    for kept in ('<img src="https://example.org/x.png">', '<img src="data:image/png;base64,AA==">',
                 '<img src="../../missing.png">', '<img src="../../figures/a.png" loading="eager">'):
        assert kept in out


def test_notebook_styles_keep_only_what_can_match():
    """Hand-derived: a selector needing an absent class goes, `:root` after a combinator
    goes, what cannot be judged by classes (`:not()`, at-rules, elements) stays."""
    from sitebuild import notebook_css

    css = ("@charset \"UTF-8\";.w :root{--icon:url(x)}:root{--a:1}.w .used{a:1}.w .gone{b:2}"
           ".gone,.w p{c:3}@media (max-width:10px){.gone{d:4}.used{e:5}}@media print{.gone{f:6}}"
           "@font-face{font-family:F;src:url(f.woff2)}.w:not(.gone){g:7}.w>:root{h:8}")
    kept = notebook_css.prune(css, {"w", "used"})
    assert kept == (":root{--a:1}.w .used{a:1}.w p{c:3}@media (max-width:10px){.used{e:5}}"
                    "@font-face{font-family:F;src:url(f.woff2)}.w:not(.gone){g:7}")
    html = '<div class="w"><style type="text/css">.w .used{a:1}.w .gone{b:2}</style><p class="used x"></p></div>'
    assert notebook_css.page_classes(html) == {"w", "used", "x"}
    assert notebook_css.slim_notebook_styles(html) == html.replace(".w .gone{b:2}", "")


def test_short_citation_from_the_authors_as_written():
    """How a slide cites a paper: one author, two joined by «y», three or more «et al.»;
    initials (also «T.-Y.») dropped, particles («van den») kept."""
    cite = references.short_citation
    assert cite("fukushima1980") == "Fukushima (1980)"
    assert cite("kingma2015") == "Kingma y Ba (2015)"
    assert cite("glorot2010") == "Glorot y Bengio (2010)"  # «e Y. Bengio» is the second author
    assert cite("he2016") == "He et al. (2016)"
    assert cite("goyal2017") == "Goyal et al. (2017)"  # written «P. Goyal et al.»
    assert cite("lin2014coco") == "Lin et al. (2014)"
    assert cite("oord2018") == "van den Oord et al. (2018)"
    assert cite("kerasvgg") == "Keras (2024)"


_ITEM = re.compile(r"<li(?: [^>]*)?>")
_CITE = re.compile(r'data-cite="([^"]*)"')


def _cites_after_references_heading(page: Path) -> list[str | None]:
    """The data-cite of each item of the list under the page's «Referencias» heading
    (None for an item without one)."""
    text = page.read_text(encoding="utf-8")
    start = text.index('id="referencias"')
    body = text[text.index("<ul>", start):text.index("</ul>", start)]
    cites = []
    for tag in _ITEM.findall(body):
        m = _CITE.search(tag)
        cites.append(html.unescape(m.group(1)) if m else None)
    return cites


def test_every_reference_item_carries_its_short_citation(site_dir):
    """The build writes each entry's short citation as `data-cite` on its <li> (the
    references slide shows them), computed from the data, in the list's order: on every
    lecture and on the course's full list."""
    root = Path(__file__).resolve().parents[1] / "docs"
    pages = 0
    for md in sorted(root.rglob("*.md")):
        m = re.search(r"<!--\s*generated:\s*references(?:-(\d\d))?\s*-->", md.read_text(encoding="utf-8"))
        if not m:
            continue
        number = int(m.group(1)) if m.group(1) else None
        keys = [k for k, r in references.REFERENCES.items() if number is None or number in r["lectures"]]
        want = [references.short_citation(k) for k in references._sorted(keys)]
        rel = md.relative_to(root).with_suffix("")
        built = site_dir / rel / "index.html"
        assert _cites_after_references_heading(built) == want, rel
        pages += 1
    assert pages >= 10


def test_reference_list_is_alphabetical_by_first_surname():
    """«T.-Y. Lin et al.» sorts under L, not under «al.»; «van den Oord» under O; «Gómez» as G."""
    order = [references.short_citation(k) for k in references._sorted(references.REFERENCES)]
    assert order.index("Ba et al. (2016)") < order.index("Lin et al. (2014)") < order.index("Long et al. (2015)")
    surnames = [references.sort_key(k)[0] for k in references._sorted(references.REFERENCES)]
    assert surnames == sorted(surnames) and surnames[0] == "ba"
