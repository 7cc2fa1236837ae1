"""The staff pages in a narrow window (a phone, or half a small screen): the page never scrolls
sideways (a wide table scrolls inside its own card), the call-number field keeps a usable width,
and the setup page's tick boxes are all one size."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.web_rig import log_in
from tests.web.test_desk_in_browser import issue

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_page_scrolls_sideways_at_phone_width(web, browser, recorder, lang):
    issue(recorder, "passport")  # a queue row, with its call button, on the desk page
    page = browser(360, 740)
    log_in(page, web, "mette")
    for path in ("/desks", "/desk/desk-1", "/office", "/office/setup", "/reception"):
        page.goto(f"{web.url}{path}?lang={lang}")
        if path == "/desk/desk-1":
            expect(page.locator("#queue-rows tr")).to_have_count(1)
        assert page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways at 360 px"
        if path == "/desk/desk-1":
            assert page.locator("#call-number").bounding_box()["width"] >= 140


def test_the_setup_pages_tick_boxes_are_one_size_however_long_their_words(web, browser):
    page = browser(360, 740)
    log_in(page, web, "mette")
    page.goto(f"{web.url}/office/setup")
    widths = page.eval_on_selector_all(".choice input", "boxes => boxes.map(b => b.getBoundingClientRect().width)")
    assert widths and max(widths) - min(widths) < 0.5, sorted(set(widths))
