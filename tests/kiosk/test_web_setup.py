"""The manager changes today's setup in the office panel, in a real headless Chromium, and the kiosk
(the real app under Xvfb) follows: the volunteer desk closed for today, then Thursday's session
called off.  Here beside the kiosk's tests: one Kivy window per process."""
from playwright.sync_api import expect, sync_playwright

from bench.web_rig import WebProcess, launch_chromium, log_in
from kiosk.i18n import tr
from tests.kiosk.test_paths_with_hub import open_desks


def test_the_manager_closes_the_volunteer_desk_and_cancels_thursday_and_the_kiosk_shows_it(
        kiosk, hub, broker, recorder, site, tmp_path):
    open_desks(recorder, site, "vol-1", "desk-1")
    web = WebProcess(broker, tmp_path / "web.db", {"mette": "manager"}).start()
    drv = kiosk.driver
    shown = lambda: " ".join(label.text for label in drv.labels(drv.screen))
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            log_in(page, web, "mette")
            page.get_by_role("link", name="Dagens opsætning").click()
            drv.wait_until(lambda: kiosk.services.link.board and kiosk.services.link.board.kinds["volunteer"].open)
            drv.choose_language("en")
            for word in ("MitID, Digital Post and apps", "Show me how to use it"):
                drv.tap(word)
            assert drv.button(tr("en", "choice_volunteer"))
            page.locator("tr[data-desk='vol-1']").get_by_role("button", name="Luk for i dag").click()
            expect(page.locator("#setup-saved")).to_have_text("Gemt: Skranke lukket for i dag")
            drv.wait_until(lambda: "Volunteers are here on Thursday at 9:00." in shown())
            page.get_by_role("button", name="Aflys 2026-11-26 09:00-12:00").click()
            expect(page.locator("tr[data-session='2026-11-26 09:00-12:00']")).to_have_attribute("data-cancelled", "true")
            drv.wait_until(lambda: "Volunteers are here on Tuesday at 9:00." in shown())
            expect(page.locator("#audit tbody tr").first).to_contain_text("mette")
            browser.close()
    finally:
        web.stop()
