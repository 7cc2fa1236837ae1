"""What the kiosk and the board both do as systemd services around a Kivy main loop.

The watchdog is pinged from Kivy's own loop, so a frozen screen stops the pings and
systemd restarts the app; SIGTERM leaves through ``App.stop``, so the app and its
connections close cleanly.  Kivy is imported inside the functions, so a desk unit
(no Kivy) can import the ``reception`` package.
"""
from __future__ import annotations

import signal

from reception import service_notify


def watch_main_loop() -> list:
    """The Clock events that ping systemd's watchdog (none without one); cancel them when the app stops."""
    from kivy.clock import Clock

    interval = service_notify.watchdog_interval()
    return [Clock.schedule_interval(lambda _dt: service_notify.watchdog_ping(), interval)] if interval else []


def stop_cleanly_on(signum: int, app) -> None:
    """systemd stops a unit with SIGTERM: leave through ``App.stop`` on Kivy's thread, as a tap would."""
    from kivy.clock import Clock

    signal.signal(signum, lambda *_: Clock.schedule_once(lambda _dt: app.stop()))
