"""The deck's URL (docs/assets/js/slides/url.js): `?slides#slide-N` stays in the address
bar while Material's navigation.tracking, or any other script, rewrites the hash, and
history.replaceState is never patched for it. Runs in Debian's Chromium."""

from __future__ import annotations

LECTURE = "lectures/02-convolucion/"
WHERE = "() => location.search + location.hash"
# Every URL the page's entries get, in order (the Navigation API sees replaceState too).
RECORD = """() => { window.urls = [];
    navigation.addEventListener('currententrychange', (e) => urls.push(e.navigationType + ' ' + location.search + location.hash)); }"""


def test_the_slide_stays_in_the_url_when_material_tracks_the_scroll(page, server):
    """Opened from a section read halfway down the page, the deck moves the article, the
    window's scroll changes and Material writes the section's anchor into the URL
    (250 ms later): the deck puts its slide back."""
    page.goto(server.url + LECTURE)
    page.evaluate("() => document.getElementById('paso-a-paso').scrollIntoView()")
    page.wait_for_function("() => location.hash === '#paso-a-paso'")  # the tracking at work
    page.evaluate(RECORD)
    page.keyboard.press("p")
    page.wait_for_selector(".slides-deck")
    n = page.evaluate("() => [...document.querySelectorAll('.slide-frame')].findIndex((f) => f.querySelector('#paso-a-paso')) + 1")
    assert n > 1
    page.wait_for_function("() => urls.includes('replace ?slides#paso-a-paso')", timeout=5_000)
    page.wait_for_function(f"() => location.search + location.hash === '?slides#slide-{n}'", timeout=5_000)
    assert page.evaluate("() => Object.prototype.hasOwnProperty.call(history, 'replaceState')") is False


def test_other_scripts_cannot_take_the_slide_out_of_the_url(page, server):
    page.goto(server.url + LECTURE + "?slides#slide-3")
    page.wait_for_function("() => location.hash === '#slide-3'")
    page.evaluate("() => history.replaceState({}, '', location.pathname + '#teclas')")
    assert page.evaluate(WHERE) == "?slides#slide-3"
    # A replace that keeps the URL (Material saves the scroll so) keeps its state.
    page.evaluate("() => history.replaceState({y: 7}, '')")
    assert page.evaluate("() => history.state") == {"y": 7} and page.evaluate(WHERE) == "?slides#slide-3"
    # A typed #slide-N is the reader's: followed, not put back, even when the new entry
    # is replaced (its URL kept) before the hashchange arrives, as Material may do.
    for n in (12, 20):
        page.evaluate("n => { location.hash = 'slide-' + n; history.replaceState({y: n}, ''); }", n)
        page.wait_for_function("n => document.querySelector('.slides-counter').textContent.startsWith(n + ' /')", arg=n, timeout=5_000)
        assert page.evaluate(WHERE) == f"?slides#slide-{n}"
    # Back in reading mode the URL is the page's again, for anyone to write.
    page.keyboard.press("Escape")
    page.evaluate("() => history.replaceState({}, '', location.pathname + '#teclas')")
    assert page.evaluate(WHERE) == "#teclas"
