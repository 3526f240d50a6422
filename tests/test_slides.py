"""Presentation mode (docs/assets/js/slides.js) on the sample deck docs/presentar.md.

Runs in Debian's Chromium. The page has 9 slides: title, 7 `##` sections and one
forced `<hr class="slide-break">`; slide 4 has a 3-item incremental list and slide 5
the conv-proof demo.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SiteServer, wait_for_demo
from test_site import SEED_004_RESULT

SLIDES = 9
DEMO_SLIDE = 5
VISIBLE_SLIDES = "section.slide[role=region][aria-roledescription=diapositiva]:visible"
PAGES = ("index.md", "laboratorio.md", "presentar.md")  # what the temporary build needs


def _temporary_site(tmp: Path) -> Path:
    """mkdocs.yml plus slides.js/css, built from only the pages these tests visit (so
    other half-written pages cannot break them); used until mkdocs.yml loads slides.js."""

    class Loader(yaml.SafeLoader):  # only plain lists are read; other tags are skipped
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    base = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    docs = tmp / "docs"
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    for name in PAGES:
        shutil.copy(ROOT / "docs" / name, docs / name)
    config = {
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(docs),
        "theme": {"custom_dir": str(ROOT / base["theme"]["custom_dir"])},
        "hooks": [str(ROOT / p) for p in base.get("hooks", [])],
        "watch": [str(ROOT / p) for p in base.get("watch", [])],
        "extra_css": base.get("extra_css", []) + ["assets/css/slides.css"],
        "extra_javascript": base.get("extra_javascript", []) + ["assets/js/slides.js"],
        "nav": list(PAGES),
    }
    (tmp / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp / "mkdocs.yml"), "-d", str(tmp / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp / "site"


@pytest.fixture(scope="module")
def deck_url(request, tmp_path_factory):
    """presentar/ on the session's site once mkdocs.yml loads slides.js, else on a temporary build."""
    if "assets/js/main.js" in (ROOT / "mkdocs.yml").read_text():  # main.js imports slides.js
        yield request.getfixturevalue("server").url + "presentar/"
        return
    srv = SiteServer(_temporary_site(tmp_path_factory.mktemp("slides")))
    yield srv.url + "presentar/"
    srv.close()


def state(page) -> dict:
    """Where the deck is: slide number (from the URL), counter text, active flag."""
    return page.evaluate("""() => ({
        active: document.documentElement.classList.contains('slides-active'),
        url: location.search + location.hash,
        counter: document.querySelector('.slides-counter')?.textContent || null,
        live: document.querySelector('.slides-sr')?.textContent || null,
        pending: document.querySelectorAll('.inc-pending').length,
    })""")


def at(page, n: int):
    page.wait_for_function("n => location.hash === '#slide-' + n", arg=n, timeout=5_000)
    assert page.locator(VISIBLE_SLIDES).count() == 1
    assert page.inner_text(".slides-counter") == f"{n} / {SLIDES}"


def test_enter_and_leave_by_button_key_and_url(page, deck_url):
    page.goto(deck_url)
    assert not state(page)["active"]
    button = page.get_by_role("button", name="Presentar")
    button.click()
    at(page, 1)
    assert state(page)["url"] == "?slides#slide-1"
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar").first.is_visible()
    page.keyboard.press("Escape")
    assert not state(page)["active"] and state(page)["url"] == ""
    assert page.locator(".slides-deck").count() == 0 and page.locator("article .demo").count() == 1

    page.keyboard.press("p")
    at(page, 1)
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    at(page, 3)
    page.keyboard.press("Escape")  # back to reading at the same section
    assert state(page)["url"] == "#teclas"
    box = page.locator("#teclas").bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2

    page.goto(deck_url + "?slides")
    at(page, 1)


def test_navigation_keys_and_incremental_list(page, deck_url):
    page.goto(deck_url + "?slides")
    page.keyboard.press("ArrowRight")
    at(page, 2)
    assert state(page)["live"] == f"Diapositiva 2 de {SLIDES}"
    page.keyboard.press(" ")
    at(page, 3)
    page.keyboard.press("PageDown")
    at(page, 4)
    assert state(page)["pending"] == 3  # the incremental list starts hidden...
    for left in (2, 1, 0):
        page.keyboard.press("ArrowRight")
        assert state(page)["pending"] == left  # ...and shows one item per "next"
    at(page, 4)
    page.keyboard.press("ArrowRight")
    at(page, 5)
    page.keyboard.press("PageUp")
    at(page, 4)
    assert state(page)["pending"] == 0  # coming back, the list is complete
    page.keyboard.press("ArrowLeft")
    assert state(page)["pending"] == 1
    page.keyboard.press("End")
    at(page, SLIDES)
    page.keyboard.press("Home")
    at(page, 1)
    page.keyboard.press("ArrowLeft")
    at(page, 1)
    page.keyboard.press("7")
    page.keyboard.press("Enter")
    at(page, 7)
    # Overview: every slide is a thumbnail; Enter on one jumps to it.
    page.keyboard.press("o")
    assert page.locator(VISIBLE_SLIDES).count() == SLIDES
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    at(page, 5)
    assert not page.watch.console_errors


def test_touch_swipe(browser, deck_url):
    ctx = browser.new_context(has_touch=True)
    page = ctx.new_page()
    try:
        page.goto(deck_url + "?slides#slide-2")
        swipe = """dx => { const v = document.querySelector('.slides-viewport');
            const t = (x) => [new Touch({identifier: 1, target: v, clientX: x, clientY: 300})];
            v.dispatchEvent(new TouchEvent('touchstart', {touches: t(600), changedTouches: t(600), bubbles: true}));
            v.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: t(600 + dx), bubbles: true})); }"""
        page.evaluate(swipe, -200)
        at(page, 3)
        page.evaluate(swipe, 200)
        page.evaluate(swipe, 200)
        at(page, 1)
    finally:
        ctx.close()


def test_deep_link_and_reload(page, deck_url):
    page.goto(deck_url + "?slides#slide-6")
    at(page, 6)
    page.keyboard.press("ArrowRight")
    at(page, 7)  # the forced slide break
    page.reload()
    at(page, 7)
    assert "Con un proyector" in page.locator(VISIBLE_SLIDES).inner_text()


def test_notes_presenter_view_and_sync(context, deck_url):
    """S opens the presenter view; the two windows follow each other both ways."""
    audience = context.new_page()
    audience.goto(deck_url + "?slides")
    notes = audience.locator(VISIBLE_SLIDES).locator("details.notes")
    assert notes.count() == 1 and not notes.is_visible()
    with context.expect_page() as popup:
        audience.keyboard.press("s")
    presenter = popup.value
    presenter.wait_for_selector(".presenter-notes-body")
    assert "?presenter#slide-1" in presenter.url
    assert "Empieza presentando" in presenter.inner_text(".presenter-notes-body")
    assert "Entrar y salir" in presenter.inner_text(".presenter-next-box")
    assert presenter.inner_text(".presenter-remaining") in ("45:00", "44:59")
    presenter.fill("#presenter-minutes", "10")
    assert presenter.inner_text(".presenter-remaining").startswith(("10:00", "09:5"))

    audience.keyboard.press("ArrowRight")
    presenter.wait_for_function("() => location.hash === '#slide-2'", timeout=5_000)
    assert "Si compartes" in presenter.inner_text(".presenter-notes-body")
    presenter.locator(".slides-viewport").focus()
    presenter.keyboard.press("ArrowRight")
    at(audience, 3)
    presenter.keyboard.press("End")
    at(audience, SLIDES)
    assert "Fin de la presentación" in presenter.inner_text(".presenter-next-box")

    # Two audience windows of the same page stay together too.
    other = context.new_page()
    other.goto(deck_url + "?slides#slide-2")
    other.keyboard.press("ArrowRight")
    at(audience, 3)
    presenter.wait_for_function("() => location.hash === '#slide-3'", timeout=5_000)
    audience.keyboard.press("Home")
    at(other, 1)


def test_demo_runs_inside_a_slide(page, deck_url):
    page.goto(deck_url + f"?slides#slide-{DEMO_SLIDE}")
    demo = page.locator(VISIBLE_SLIDES).locator('.demo[data-demo="conv-proof"]')
    assert demo.count() == 1 and page.locator(".demo").count() == 1  # moved, not cloned
    assert wait_for_demo(page, '[data-demo="conv-proof"]') == "ready"
    page.wait_for_function("() => document.querySelector('[data-demo=\"conv-proof\"]').dataset.result")
    assert json.loads(demo.get_attribute("data-result")) == SEED_004_RESULT
    # Keys pressed while a demo control has focus belong to the demo.
    demo.evaluate("el => { const b = document.createElement('button'); b.textContent = 'control';"
                  " b.className = 'probe'; el.append(b); b.focus(); }")
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    at(page, DEMO_SLIDE)
    page.keyboard.press("Escape")  # the first Esc leaves the demo, the second the deck
    at(page, DEMO_SLIDE)
    page.keyboard.press("Escape")
    at_home = page.locator("article .demo[data-demo=conv-proof]")
    assert at_home.count() == 1 and json.loads(at_home.get_attribute("data-result")) == SEED_004_RESULT
    assert not page.watch.console_errors and not page.watch.external


def test_print_one_page_per_slide(page, deck_url):
    page.goto(deck_url + "?slides&print")
    page.emulate_media(media="print")
    assert page.locator(VISIBLE_SLIDES).count() == SLIDES
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == SLIDES
    assert re.search(rb"/MediaBox\s*\[0 0 960 540\]", pdf)  # 1280×720 px = 16:9 landscape

    # Reading mode prints a clean document: no chrome, no button, no notes.
    page.goto(deck_url)
    page.emulate_media(media="print")
    for sel in (".md-header", ".md-sidebar--primary", ".slides-enter", "details.notes"):
        assert not page.locator(sel).first.is_visible(), sel
    assert page.locator("article h2#teclas").is_visible()


def test_instant_navigation_tears_down_and_sets_up_again(page, deck_url):
    page.goto(deck_url + "?slides#slide-2")
    at(page, 2)
    page.evaluate("""() => { const a = document.createElement('a');
        a.href = new URL('../laboratorio/', location.href).href; document.body.append(a); a.click(); }""")
    page.wait_for_url("**/laboratorio/")
    page.wait_for_selector("article h1")
    assert not state(page)["active"] and page.locator(".slides-deck").count() == 0
    assert page.locator(".slides-enter").count() == 1
    page.keyboard.press("p")
    at_lab = state(page)
    assert at_lab["active"] and at_lab["counter"].endswith("/ 3")
    page.keyboard.press("Escape")
    page.go_back()
    page.wait_for_url("**/presentar/**")
    page.wait_for_selector(".slides-deck")
    assert page.locator(".slides-deck").count() == 1 and page.locator(".slides-enter").count() == 1
    assert not page.watch.console_errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_in_slide_mode(browser, deck_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    ctx = browser.new_context(color_scheme=scheme)
    page = ctx.new_page()
    problems = []
    try:
        for url, keys in ((f"{deck_url}?slides#slide-3", ""), (f"{deck_url}?slides#slide-4", "o")):
            page.goto(url)
            for key in keys:
                page.keyboard.press(key)
            page.wait_for_timeout(200)
            for v in Axe().run(page).response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{url} {keys}: {v['id']} {[n['target'] for n in v['nodes']][:3]}")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
