"""Diagram labels readable where they are drawn (issue 11, item 7), measured in Chromium:
every text of every SVG diagram of the lectures (docs/lectures/diagrams/) is at least
12 px on the screen in the reading column at 1440×900, and at least 16 px on a slide at
1280×720 and on a 4:3 projector, 1024×768 (its slide is narrower: a wide diagram is
drawn smaller there). The size on the screen is the label's font size times the scale from the
SVG's viewBox to the image, times every scale above the image (the slide's transform
and the fit's CSS zoom: `getBoundingClientRect().width / offsetWidth`). Lecture pages are found in the built site, so a new
page (or a lecture split in two) is measured without editing this file.

SMALL_ON_SLIDES lists the diagrams still under 16 px on their slide (measured size in
the comment): the test fails if one gets smaller, if one becomes readable (take it off
the list) and for every other diagram that is too small, so the list only shrinks."""

from __future__ import annotations

import pytest

from conftest import built_pages


def lecture_pages(site) -> list[str]:
    """Every page under lectures/ of the built site (not the index)."""
    return [p for p in built_pages(site) if p.startswith("lectures/") and p != "lectures/"]

MIN_READING_PX = 12
MIN_SLIDE_PX = 16

# For every <img> of an SVG diagram matched by `selector`: draw the same file inline at the image's
# size, off screen, and read each <text>'s size through its screen transform.
MEASURE = """async (selector) => {
  const out = [];
  for (const img of document.querySelectorAll(selector)) {
    img.loading = 'eager';  // lazy below the first screen (sitebuild/images.py): load it as a reader would
    await img.decode().catch(() => {});
    const w = img.offsetWidth, h = img.offsetHeight;
    if (!w || !h) continue;
    const screenScale = img.getBoundingClientRect().width / w;
    const text = await (await fetch(img.currentSrc || img.src)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    svg.setAttribute('width', w); svg.setAttribute('height', h);
    const box = document.createElement('div');
    box.style.cssText = 'position:absolute;left:-10000px;top:0;';
    box.append(document.importNode(svg, true));
    document.documentElement.append(box);  // not in <body>: slide mode hides all but the deck there
    let min = Infinity, label = '';
    for (const t of box.querySelectorAll('text, tspan')) {
      if (!t.textContent.trim() || (t.tagName === 'text' && t.querySelector('tspan'))) continue;
      const m = t.getScreenCTM();
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) * screenScale;
      if (px < min) { min = px; label = t.textContent.trim().slice(0, 30); }
    }
    box.remove();
    if (min < Infinity) out.push({src: img.getAttribute('src').split('/').pop(), px: Math.floor(min * 10) / 10, label});
  }
  return out;
}"""
READING = 'article img[src*="diagrams/"][src$=".svg"]'
ON_SLIDE = '.slides-deck .slide-frame:not([hidden]) img[src*="diagrams/"][src$=".svg"]'

# In slide mode: the 1-based numbers of the slides that hold a diagram.
DIAGRAM_SLIDES = """() => [...document.querySelectorAll('.slides-viewport > .slide-frame')]
  .map((f, i) => f.querySelector('img[src*="diagrams/"][src$=".svg"]') ? i + 1 : 0).filter(Boolean)"""
# Go to slide n and wait until it shows, its images are decoded and the fit has run.
SHOW_SLIDE = """async (n) => {
  location.hash = '#slide-' + n;
  const frame = document.querySelectorAll('.slides-viewport > .slide-frame')[n - 1];
  while (frame.hidden) await new Promise(requestAnimationFrame);
  await document.fonts.ready;
  for (const img of frame.querySelectorAll('img')) await img.decode().catch(() => {});
  await new Promise(requestAnimationFrame); await new Promise(requestAnimationFrame);
}"""


# Diagrams under 16 px on their slide, at either size (measured px). A slide draws its
# diagrams as large as its room allows (slides.js, up to 3×); one that shares its slide
# with too much text needs the slide re-cut (the diagram alone, the text in the notes) or
# larger labels relative to its height. Empty: every diagram is readable on its slide.
SMALL_ON_SLIDES: dict[str, float] = {}


def _page_at(browser, width: int, height: int):
    """A page of its own context at that viewport (no service worker: the images are the site's)."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def reading_page(browser):
    yield from _page_at(browser, 1440, 900)


def test_diagram_labels_are_readable_in_the_reading_column(server, site_dir, reading_page):
    small, measured = [], set()
    for path in lecture_pages(site_dir):
        reading_page.goto(server.url + path, wait_until="load")
        for d in reading_page.evaluate(MEASURE, READING):
            measured.add(d["src"])
            if d["px"] < MIN_READING_PX:
                small.append((d["px"], f"{path}{d['src']}: {d['px']} px («{d['label']}»)"))
    print(f"{len(measured)} diagrams measured in the reading column")
    assert len(measured) >= 30, f"only {len(measured)} diagrams measured"
    small.sort()
    assert not small, (f"{len(small)} diagrams with labels under {MIN_READING_PX} px, worst first:\n"
                       + "\n".join(line for _, line in small))


SLIDE_SIZES = ((1280, 720), (1024, 768))


@pytest.fixture(params=SLIDE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def slide_page(browser, request):
    yield from _page_at(browser, *request.param)


def test_diagram_labels_are_readable_on_a_slide(server, site_dir, slide_page):
    """Slide mode at 1280×720 and 1024×768: each slide with a diagram, as the projector shows it."""
    results = []  # (px, src, where, label)
    for path in lecture_pages(site_dir):
        slide_page.goto(server.url + path + "?slides", wait_until="load")
        slide_page.wait_for_selector(".slides-viewport > .slide-frame")
        for n in slide_page.evaluate(DIAGRAM_SLIDES):
            slide_page.evaluate(SHOW_SLIDE, n)
            for d in slide_page.evaluate(MEASURE, ON_SLIDE):
                results.append((d["px"], d["src"], f"{path}#slide-{n}", d["label"]))
    results.sort()
    measured = {src for _, src, _, _ in results}
    print(f"{len(measured)} diagrams measured on slides; worst: "
          + ", ".join(f"{src} {px} px" for px, src, _, _ in results[:5]))
    assert len(measured) >= 30, f"only {len(measured)} diagrams measured on slides"
    small = [f"{where} {src}: {px} px («{label}»)" for px, src, where, label in results
             if px < MIN_SLIDE_PX and src not in SMALL_ON_SLIDES]
    worse = [f"{where} {src}: {px} px, was {SMALL_ON_SLIDES[src]} px" for px, src, where, _ in results
             if src in SMALL_ON_SLIDES and px < SMALL_ON_SLIDES[src] - 0.3]
    readable = sorted(src for src in SMALL_ON_SLIDES
                      if src in measured and min(px for px, s, _, _ in results if s == src) >= MIN_SLIDE_PX)
    assert not small, f"{len(small)} diagram labels under {MIN_SLIDE_PX} px on a slide, worst first:\n" + "\n".join(small)
    assert not worse, "diagram labels smaller on a slide than before:\n" + "\n".join(worse)
    assert not readable, f"readable on a slide now, take off SMALL_ON_SLIDES: {readable}"


def test_a_diagram_opens_full_screen_on_click(server, reading_page):
    reading_page.goto(server.url + "lectures/03-clasificacion/")
    link = reading_page.locator('article a.glightbox:has(img[src$="03-flujo-cnn.svg"])')
    link.click()
    slide = reading_page.locator(".glightbox-container .gslide.current img")
    slide.wait_for()
    assert slide.get_attribute("src").endswith("03-flujo-cnn.svg")
    # Wider than the reading column (the opening zoom ends there): full screen.
    reading_page.wait_for_function(
        "() => document.querySelector('.glightbox-container .gslide.current img').getBoundingClientRect().width > 0.8 * innerWidth",
        timeout=10_000)
