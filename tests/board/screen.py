"""Running the real board app inside a test process: one Kivy window per process, pumped frame by frame."""
from __future__ import annotations

import time

from display_board.window import configure


def start_app(app):
    """Build and show ``app`` without entering Kivy's blocking main loop."""
    from kivy.base import runTouchApp

    app._run_prepare()
    runTouchApp(embedded=True)
    return app


def stop_app(app) -> None:
    """Stop ``app`` and leave the window and event loop usable for the next app in this process.

    Kivy's stop marks the event loop as quitting, after which ``EventLoop.idle`` no longer
    lays out or draws anything; the kiosk's tests run their app in the same process after ours.
    """
    from kivy.base import EventLoop

    app.stop()
    EventLoop.quit = False


def pump(until=lambda: False, timeout: float = 10.0) -> bool:
    """Run Kivy frames until ``until()`` is true; False if it never was."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        EventLoop.idle()
        if until():
            return True
    return False


def settle(root, timeout: float = 10.0) -> bool:
    """Run frames until the layout under ``root`` stays the same for three frames in a row.

    Counting frames, not seconds: on a busy machine 0.15 s may be a single frame, with some
    text still being fitted."""
    from kivy.base import EventLoop

    def layout():
        return [(getattr(w, "text", None), getattr(w, "font_size", None), tuple(w.size), tuple(w.pos))
                for w in root.walk()]

    deadline, last, same = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        EventLoop.idle()
        now = layout()
        same = same + 1 if now == last else 0
        if same >= 3:
            return True
        last = now
    return False


def visible(widget) -> bool:
    while widget is not None:
        if widget.opacity == 0:
            return False
        widget = widget.parent if widget.parent is not widget else None
    return True


def clipped_texts(root, window_size) -> list[str]:
    """Labels whose text, measured afresh at their font, is larger than their box or leaves the window."""
    from kivy.core.text.markup import MarkupLabel
    from kivy.uix.label import Label

    problems = []
    for w in root.walk():
        if not isinstance(w, Label) or not w.text or not visible(w):
            continue
        wrap = getattr(w, "wrap", False)
        core = MarkupLabel(text=w.text, font_size=w.font_size, font_name=w.font_name, bold=w.bold,
                           text_size=(w.width if wrap else None, None))
        core.refresh()
        width, height = core.content_size
        x, y = w.to_window(w.x, w.y)
        inside = x >= -1 and y >= -1 and x + w.width <= window_size[0] + 1 and y + w.height <= window_size[1] + 1
        if width > w.width + 1 or height > w.height + 1 or not inside:
            problems.append(f"{w.text!r}: text {width:.0f}x{height:.0f} in a box {w.width:.0f}x{w.height:.0f}"
                            f" at {x:.0f},{y:.0f}")
    return problems


__all__ = ["configure", "start_app", "stop_app", "pump", "clipped_texts"]
