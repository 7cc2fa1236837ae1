"""``reception board``: the waiting-room display; ``reception bench board`` measures its call-to-screen latency.

Kivy is imported only inside the commands, after the window is configured, so
``reception --help`` stays fast and works on machines without a screen.
"""
from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path

from reception import config
from reception.commands import add_broker_arguments, add_config_argument, broker_address
from reception.errors import ConfigError
from reception.kivy_service import stop_cleanly_on


def add_commands(sub) -> None:
    p = sub.add_parser("board", help="run the waiting-room display board")
    add_config_argument(p)
    add_broker_arguments(p)
    p.add_argument("--board", default="board-1", help="this board's id from [[boards]] (default %(default)s)")
    p.add_argument("--fullscreen", action="store_true", help="kiosk mode: fullscreen, no cursor, no decorations")
    p.add_argument("--size", default="1280x720", help="window size when not fullscreen (default %(default)s)")
    p.add_argument("--announce-dir", help="test mode: write each announcement as WAV files here, play nothing")
    p.set_defaults(func=run)

    s = sub.add_parser("board-screenshot", help="draw the board with example calls and waits into a PNG file")
    add_config_argument(s)
    s.add_argument("--size", default="1920x1080", help="screen size (default %(default)s)")
    s.add_argument("--offline", action="store_true", help="show the out-of-service banner")
    s.add_argument("--at", default="2026-11-24T10:00", help="local time shown on the board (default %(default)s)")
    s.add_argument("out", help="PNG file to write")
    s.set_defaults(func=screenshot)


def board_id(site: config.Site, wanted: str) -> str:
    if wanted not in site.boards:
        raise ConfigError(f"{site.source}: boards: no board {wanted!r} (configured: {', '.join(site.boards) or 'none'})")
    return wanted


def run(args) -> int:
    from display_board.window import configure
    from reception.window import parse_size

    site = config.load(args.config)
    board = board_id(site, args.board)
    configure(parse_size(args.size), fullscreen=args.fullscreen)
    from display_board.announcer import Announcer
    from display_board.app import BoardApp

    test_mode = args.announce_dir is not None
    work_dir = Path(args.announce_dir or os.environ.get("RUNTIME_DIRECTORY") or tempfile.mkdtemp(prefix="board-"))
    announcer = Announcer(site.board.announce_languages, work_dir, record_only=test_mode).start()
    app = BoardApp(site, board_id=board, broker=broker_address(args, site), announcer=announcer)
    stop_cleanly_on(signal.SIGTERM, app)  # the broker sees a clean goodbye
    app.run()
    return 0


def screenshot(args) -> int:
    """A one-shot tool: only the file it wrote, or what went wrong (-v shows the screen's log)."""
    import logging
    from datetime import datetime

    from display_board.screenshots import capture
    from reception.window import parse_size

    if not args.verbose:
        logging.getLogger().setLevel(logging.WARNING)
    site = config.load(args.config)
    now = datetime.fromisoformat(args.at).replace(tzinfo=site.tz)
    print(capture(site, Path(args.out), size=parse_size(args.size), offline=args.offline, now=now))
    return 0
