"""The staff web service as a real child process with accounts made beforehand, and a headless
Debian Chromium to drive it: shared by the web tests and ``reception bench web``."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from argon2 import PasswordHasher

from bench.harness import EXAMPLE_CONFIG, ROOT
from reception import clock
from reception.broker import free_port, port_open
from web.accounts import Accounts

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "a long test password"
# Cheap hashes for the made-up accounts: the service checks each with the parameters it was made with.
QUICK_HASH = PasswordHasher(time_cost=1, memory_cost=8192)


def launch_chromium(playwright):
    """Debian's chromium through Playwright: no browser of Playwright's own is downloaded or used."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (run.sh does)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class WebProcess:
    """``reception web`` on a free port, with the given users (name -> role), all with ``PASSWORD``."""

    def __init__(self, broker, db_path: Path, users: dict[str, str], config_path: Path = EXAMPLE_CONFIG,
                 *options: str):
        """``options``: more of ``reception web``'s options, e.g. ``"--kiosk", "front-desk"``."""
        self.broker, self.db_path, self.config_path, self.options = broker, db_path, config_path, options
        accounts = Accounts(db_path, clock.from_env(), QUICK_HASH)
        for name, role in users.items():
            accounts.add(name, role, PASSWORD)
        accounts.close()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = db_path.parent / "web.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 15) -> "WebProcess":
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reception.cli", "web", "-c", str(self.config_path), "--broker-port",
             str(self.broker.port), "--db", str(self.db_path), "--port", str(self.port), *self.options],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=clock.child_env(clock.from_env()))
        deadline = time.monotonic() + timeout
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the web service did not start:\n{self.log()}")
            time.sleep(0.05)
        return self

    def kill(self) -> None:
        """Gone without a word (SIGKILL): no clean disconnect, so the broker publishes its Last Will."""
        self.proc.kill()
        self.proc.wait()

    def stop(self, timeout: float = 10) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def log_in(page, web: WebProcess, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{web.url}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
