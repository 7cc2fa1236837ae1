"""Tell systemd how a service is doing: ready, still alive, stopping.

Every appliance unit runs with ``Type=notify`` and ``WatchdogSec=``: systemd only counts a
device as started once it says ``READY=1`` (so ``systemctl start`` waits for the broker
connection, not just the process), and restarts it when the pings stop (a hung paho loop
or a frozen Kivy main loop is a failure even though the process still exists).

Outside systemd ``$NOTIFY_SOCKET`` is unset and every call is a no-op, so the same code
runs on a laptop, under ``reception up`` and in the tests.
"""
from __future__ import annotations

import os
import threading
from typing import Callable

import sdnotify

_notifiers: dict[str | None, sdnotify.SystemdNotifier] = {}


def _notify(state: str) -> None:
    """Send one sd_notify message; the notifier is cached per socket so tests may change it."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address not in _notifiers:
        _notifiers[address] = sdnotify.SystemdNotifier()
    _notifiers[address].notify(state)


def ready(status: str = "") -> None:
    """The service is up (connected, state restored): ``systemctl start`` returns now."""
    _notify("READY=1" + (f"\nSTATUS={status}" if status else ""))


def status(text: str) -> None:
    """One line shown by ``systemctl status`` (e.g. "broker unreachable, retrying")."""
    _notify(f"STATUS={text}")


def watchdog_ping() -> None:
    """Call from the loop that proves the service works; missing pings make systemd restart it."""
    _notify("WATCHDOG=1")


def stopping() -> None:
    """A clean shutdown has begun: systemd will not count the exit as a crash."""
    _notify("STOPPING=1")


def watchdog_interval() -> float | None:
    """Seconds between pings (half of ``WatchdogSec=``, as sd_watchdog_enabled advises), or None.

    None when there is no watchdog, or when the watchdog belongs to another process
    (``$WATCHDOG_PID`` names a different pid, e.g. a child started by the service).
    """
    usec = os.environ.get("WATCHDOG_USEC", "")
    pid = os.environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if pid and pid != str(os.getpid()):
        return None
    return int(usec) / 2_000_000


class Heartbeat:
    """Pings the watchdog from a thread while ``is_alive()`` holds.

    For services whose main loop is not theirs to extend (a paho network thread, a
    blocking GPIO wait): ``is_alive`` should check the real work, e.g. that the MQTT
    loop ran recently, so a stuck service stops pinging and gets restarted.
    """

    def __init__(self, is_alive: Callable[[], bool] = lambda: True):
        self.is_alive = is_alive
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "Heartbeat":
        interval = watchdog_interval()
        if interval is not None:
            self._thread = threading.Thread(target=self._run, args=(interval,), name="watchdog", daemon=True)
            self._thread.start()
        return self

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            if self.is_alive():
                watchdog_ping()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
