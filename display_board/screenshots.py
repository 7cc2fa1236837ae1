"""``reception board-screenshot``: draw the board with example data and save it as PNG.

For the documentation and for checking a site's texts at both sizes before installing:
it runs the real screen with no broker, fed a snapshot shaped exactly as the hub sends it.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from reception import protocol
from reception.config import Site

EXAMPLE_CALLS = (("C004", "desk-3"), ("A012", "vol-1"), ("B002", "desk-1"), ("R001", "room-1"), ("A011", "vol-2"),
                 ("H003", "desk-2"), ("C003", "desk-3"))
EXAMPLE_WAITS = {"mitid_learn": (3, {"volunteer": 5, "staff": 25}), "mitid_get": (2, {"staff": 12}),
                 "passport": (4, {"staff": 18}), "pension": (1, {"staff": 9}), "appointment": (0, {"staff": 0})}


def example_snapshot(site: Site, now: datetime) -> protocol.BoardSnapshot:
    """The newest call first; only desks and services the site has."""
    calls = tuple(protocol.CallEvent("call", number, desk, dict(site.desks[desk].name), now - timedelta(minutes=2 * i),
                                     len(EXAMPLE_CALLS) - i)
                  for i, (number, desk) in enumerate(EXAMPLE_CALLS) if desk in site.desks)
    services = tuple(protocol.ServiceWait(sid, site.services[sid].letter, n, eta)
                     for sid, (n, eta) in EXAMPLE_WAITS.items() if sid in site.services)
    kinds = {"staff": protocol.KindWait(3, 7, 18), "volunteer": protocol.KindWait(1, 3, 5)}
    waiting_langs = tuple(lang for lang in ("da", "uk") if lang in site.languages)  # a Ukrainian waits: pages in both
    return protocol.BoardSnapshot(now, calls, services, kinds, "12:00", waiting_langs)


def capture(site: Site, out: Path, *, size: tuple[int, int], offline: bool, now: datetime) -> Path:
    from display_board.window import configure

    configure(size)
    from kivy.base import EventLoop, runTouchApp

    from display_board.app import BoardApp

    app = BoardApp(site, now=lambda: now)
    app._run_prepare()
    runTouchApp(embedded=True)
    app.model.apply_snapshot(example_snapshot(site, now))
    app.model.set_connected(True)
    app.model.set_hub_status("offline" if offline else "online")
    app.redraw()
    app.screen.stop_flash()
    for _ in range(10):
        EventLoop.idle()
    out.parent.mkdir(parents=True, exist_ok=True)
    app.screen.export_to_png(str(out))
    app.stop()
    return out
