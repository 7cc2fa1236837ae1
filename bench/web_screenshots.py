"""Screenshots of the staff pages for docs/screenshots, with a real broker, hub and web service.

    python -m bench.web_screenshots [--out docs/screenshots]

A morning's handful of tickets (with flags), two open desks, a kiosk low on paper: then the
desk workstation, the office panel, the reception page and today's setup at 1366x768 and 1920x1080.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.harness import EXAMPLE_CONFIG, HubProcess
from bench.web import Watcher
from bench.web_rig import WebProcess, launch_chromium, log_in
from reception import config, protocol
from reception.broker import PrivateBroker

TICKETS = [("passport", []), ("moving", ["carer"]), ("mitid_learn", []), ("health_card", ["private"]),
           ("appointment", ["appointment"]), ("passport", []), ("pension", ["carer"]), ("mitid_get", [])]
SIZES = ((1366, 768), (1920, 1080))
USERS = {"anna": "staff", "mette": "manager"}


def morning(watcher: Watcher, topics: protocol.Topics) -> None:
    for i, (service, extras) in enumerate(TICKETS):
        request = {"id": f"shot-{i}", "service": service, "extras": extras, "preference": "staff"}
        watcher.conn.publish(topics.ticket_request("kiosk-1"), protocol.encode(request))
    watcher.wait(lambda: len(watcher.replies) == len(TICKETS))
    for desk, action in (("desk-2", "next"), ("vol-1", "open")):
        watcher.conn.publish(topics.desk_command(desk), protocol.encode({"id": f"shot-{desk}", "action": action}))
    watcher.conn.publish(topics.kiosk_status("kiosk-2"), protocol.encode({"printer": "paper_low", "outbox": 0}),
                         retain=True)


def shoot(browser, web: WebProcess, out: Path) -> None:
    for width, height in SIZES:
        for user, path, name in (("anna", "/desk/desk-1", "desk"), ("mette", "/office", "office"),
                                 ("anna", "/reception", "reception"), ("mette", "/office/setup", "setup")):
            page = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK").new_page()
            log_in(page, web, user)
            page.goto(web.url + path)
            if name == "desk":
                page.wait_for_selector("#connection[data-up=true]")
                page.keyboard.press("n")
                page.wait_for_function("() => document.getElementById('current-number').textContent !== '–'")
            page.wait_for_timeout(600)
            page.screenshot(path=str(out / f"web-{name}-{width}x{height}.png"))
            page.context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    out = parser.parse_args().out
    work = Path(tempfile.mkdtemp(prefix="web-shots-"))
    site_file = work / "site.toml"
    site_file.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8")
                         + '\n[[kiosks]]\nid = "front-desk"\noffline_numbers = [801, 849]\n', encoding="utf-8")
    topics = protocol.Topics(config.load(site_file).id)
    broker = PrivateBroker(work / "broker").start()
    hub = HubProcess(broker, work / "hub.db", site_file).start()
    web = WebProcess(broker, work / "web.db", USERS, site_file, "--kiosk", "front-desk").start()
    try:
        watcher = Watcher(broker, topics, "kiosk-1")
        morning(watcher, topics)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            shoot(browser, web, out)
            browser.close()
        watcher.conn.stop()
    finally:
        web.stop()
        hub.stop()
        hub.available.close()
        broker.stop()


if __name__ == "__main__":
    main()
