"""The deck in the room (issue «Trust in the room»), in Debian's Chromium: every deck
key after a click in a demo, the fit after the fonts arrive, the presenter's clock and
readability, and print showing demos as they are.
"""

from __future__ import annotations

import pytest

from conftest import open_slide_with_demo, wait_for_demo

LECTURE_02 = "lectures/02-convolucion/"


def hash_is(page, n: int):
    page.wait_for_function("n => location.hash === '#slide-' + n", arg=n, timeout=5_000)


def settled(page, sel: str):
    """Wait until the demo's Python is ready and everything asked of it is drawn."""
    assert wait_for_demo(page, sel) == "ready"
    page.wait_for_function("""sel => { const d = document.querySelector(sel);
        return Number(d.dataset.done) > 0 && d.dataset.done === d.dataset.requested && d.dataset.busy !== 'true'; }""", arg=sel)


def tool(page) -> str:
    return page.evaluate("() => document.querySelector('.slides-deck').dataset.tool || ''")


def test_every_deck_key_works_after_a_click_in_a_demo(page, server):
    """A demo's button keeps no key: after a click on «Paso siguiente», L, D, C, O, Home
    and number + Enter drive the deck; a number field keeps its digits."""
    n, sel = open_slide_with_demo(page, server.url + LECTURE_02, "conv-steps")
    hash_is(page, n)
    settled(page, sel)
    button = page.locator(sel).get_by_role("button", name="Paso siguiente")

    def click():
        button.click()
        assert page.evaluate("() => document.activeElement.closest('.demo') !== null")

    click()
    page.keyboard.press("l")
    assert tool(page) == "laser"
    click()
    page.keyboard.press("d")
    assert tool(page) == "pen"
    # A stroke, then C clears it (the pen's layer takes the pointer: press D again to click).
    frame = page.locator(".slide-frame:not([hidden])").bounding_box()
    page.mouse.move(frame["x"] + 100, frame["y"] + 100)
    page.mouse.down()
    page.mouse.move(frame["x"] + 200, frame["y"] + 120)
    page.mouse.up()
    strokes = "() => document.querySelector('.slide-ink-canvas').dataset.strokes"
    assert page.evaluate(strokes) == "1"
    page.keyboard.press("d")
    assert tool(page) == ""
    click()
    page.keyboard.press("c")
    assert page.evaluate(strokes) == "0"

    click()
    page.keyboard.press("o")
    assert page.locator(".slides-deck.is-overview").count() == 1
    page.keyboard.press("Escape")
    assert page.locator(".slides-deck.is-overview").count() == 0
    hash_is(page, n)

    def back():  # by the deck's own keys (a new hash would make Material render the page again)
        for d in str(n):
            page.keyboard.press(d)
        page.keyboard.press("Enter")
        hash_is(page, n)

    click()
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    hash_is(page, 3)
    back()
    click()
    page.keyboard.press("Home")
    hash_is(page, 1)
    back()
    click()
    page.keyboard.press("End")
    page.wait_for_function("n => location.hash !== '#slide-' + n", arg=n)
    back()

    # A select keeps no key either (the deck's arrows do not change it).
    select = page.locator(sel).locator("select").first
    select.focus()
    page.keyboard.press("l")
    assert tool(page) == "laser"
    page.keyboard.press("ArrowRight")
    hash_is(page, n + 1)
    assert not page.watch.console_errors


def test_a_number_field_keeps_its_digits(page, server):
    """Digits typed in a demo's number field are the field's: no jump, no «Ir a…» in the
    bar, no laser for an "l"; Esc leaves the field and the deck's keys are back."""
    n, sel = open_slide_with_demo(page, server.url + LECTURE_02, "output-size-quiz")
    hash_is(page, n)
    assert wait_for_demo(page, sel) == "ready"
    field = page.locator(sel).locator("input[inputmode=numeric]").first
    field.fill("")
    page.keyboard.type("12")
    assert field.input_value() == "12"
    page.keyboard.press("Enter")
    hash_is(page, n)
    assert "Ir a" not in page.inner_text(".slides-counter")
    page.keyboard.press("l")  # a letter typed in a field is not the laser
    assert tool(page) == ""
    # Esc leaves the field, and the deck's keys are back.
    page.keyboard.press("Escape")
    page.keyboard.press("l")
    assert tool(page) == "laser"
    assert not page.watch.console_errors


def test_material_shortcuts_never_leave_the_deck(page, server):
    """Material's "n" (next page) and "/" (search) must not fire under a deck, even from
    a demo's button."""
    n, sel = open_slide_with_demo(page, server.url + LECTURE_02, "conv-steps")
    hash_is(page, n)
    settled(page, sel)
    page.locator(sel).get_by_role("button", name="Paso siguiente").click()
    page.keyboard.press("n")
    page.locator(".slides-viewport").focus()
    page.keyboard.press("n")
    page.keyboard.press(",")
    page.wait_for_timeout(300)  # a navigation would have started by now
    assert LECTURE_02 in page.url and page.locator(".slides-deck").count() == 1
