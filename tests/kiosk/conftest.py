"""The kiosk app under Xvfb, built once per test session (Kivy allows one window per process).

Each test gets fresh services (hub link on its own broker, a python-escpos Dummy
printer, a fresh outbox, espeak-ng writing WAV files) swapped into the running app,
and the app back on the start screen in Danish.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from reception import config
from reception.mqtt import BrokerAddress

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "site.example.toml"


@pytest.fixture(scope="package")
def kiosk_app(xvfb, tmp_path_factory):
    """The kiosk app for the kiosk's tests; it stops after them, leaving the window to the board's app
    (one Kivy window per process; the packages may run in either order)."""
    from kiosk.window import configure
    configure(800, 480)
    from kivy.config import Config
    Config.set("graphics", "maxfps", "0")  # frames as fast as they render: the tests wait for states, not time
    from kiosk.app import KioskApp
    from kiosk.driver import KioskDriver
    from kiosk.services import KioskServices

    site = config.load(EXAMPLE)
    idle = KioskServices.build(site, "kiosk-1", BrokerAddress("127.0.0.1", 9),  # nothing listens there
                               state_dir=tmp_path_factory.mktemp("idle-kiosk"))
    app = KioskApp(idle, tap_guard=0)
    driver = KioskDriver(app).start()
    driver.resize(800, 480)  # another part's app may have used this process's window before
    yield driver
    driver.stop()
    app.services.stop()
    idle.outbox.close()


@dataclass
class Kiosk:
    driver: object
    services: object
    wav_dir: Path

    @property
    def app(self):
        return self.driver.app

    @property
    def printer(self):
        return self.services.printing.printer


def make_kiosk(kiosk_app, broker, tmp_path, printer=None, reply_timeout=3.0, site_file=EXAMPLE, now=None) -> Kiosk:
    from kiosk.services import KioskServices
    from kiosk.speech import Speaker

    site = config.load(site_file)
    wav_dir = tmp_path / f"wav-{uuid.uuid4().hex[:6]}"
    services = KioskServices.build(site, "kiosk-1", BrokerAddress(broker.host, broker.port),
                                   state_dir=tmp_path / "kiosk-state", printer=printer,
                                   speaker=Speaker(True, wav_dir=wav_dir), reply_timeout=reply_timeout,
                                   now=now).start()
    assert services.link.conn.wait_connected(10)
    kiosk_app.app.use(services)
    kiosk_app.app.finish()
    kiosk_app.settle()
    return Kiosk(kiosk_app, services, wav_dir)


@pytest.fixture
def kiosk(kiosk_app, broker, tmp_path):
    """The running app wired to this test's broker, with a Dummy printer."""
    k = make_kiosk(kiosk_app, broker, tmp_path)
    yield k
    k.services.stop()
    kiosk_app.app.tap_guard = 0
