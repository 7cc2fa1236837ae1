"""The web tests' parts: one headless Debian Chromium per module, the web service beside a real hub."""
from __future__ import annotations

import time

import pytest

from bench.web_rig import WebProcess, launch_chromium

USERS = {"anna": "staff", "bo": "staff", "vera": "volunteer", "mette": "manager"}


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def web(broker, hub, tmp_path):
    w = WebProcess(broker, tmp_path / "web.db", USERS).start()
    yield w
    w.stop()


@pytest.fixture
def browser(chromium):
    """A fresh browser profile (own cookies) per call; all closed after the test."""
    contexts = []

    def make(width: int = 1366, height: int = 768):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="da-DK")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def open_when_known(page, url: str, timeout: float = 10):
    """A ticket's status page, once the web service has heard of the ticket (the hub's list follows the issue)."""
    deadline = time.monotonic() + timeout
    while (response := page.goto(url)).status == 404:
        assert time.monotonic() < deadline, "the web service never learned the ticket"
        time.sleep(0.2)
    return response
