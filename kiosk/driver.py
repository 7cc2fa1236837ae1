"""Drives a running kiosk app the way a finger does, for the tests, the bench and screenshots.

``tap`` sends a real touch (down, then up) through Kivy's event loop at the centre of
a widget, so it only works if that widget is really on screen and on top there.
"""
from __future__ import annotations

import os
import time
from typing import Callable, Iterator

from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent
from kivy.uix.modalview import ModalView
from kivy.uix.widget import Widget

from kiosk.i18n import LANGUAGE_NAMES, tr
from kiosk.widgets import FitLabel, KioskButton


class Finger(MotionEvent):
    """One touch at a window position, put through Kivy's event loop as the touch screen's would be.

    (Kivy's own ``kivy.tests.common.UnitTestTouch`` does the same but imports pytest, which the
    bench, run on an installed appliance, does not have.)
    """

    def __init__(self, x: float, y: float):
        super().__init__("finger", 99, {"x": x / (Window.width - 1.0), "y": y / (Window.height - 1.0)},
                         is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args):
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)

    def down(self) -> None:
        EventLoop.post_dispatch_input("begin", self)

    def up(self) -> None:
        EventLoop.post_dispatch_input("end", self)


class KioskDriver:
    def __init__(self, app):
        self.app = app

    def start(self) -> "KioskDriver":
        """Build the app and show its first frame, without entering Kivy's blocking main loop."""
        self.app._run_prepare()
        EventLoop.ensure_window()
        self.pump(0.1)
        return self

    def stop(self) -> None:
        """Stop the app and leave the window and event loop usable for the next app in this process."""
        self.app.stop()
        EventLoop.quit = False

    def pump(self, seconds: float = 0.0) -> None:
        """Let Kivy run its clock, layout and drawing for ``seconds`` (at least one frame)."""
        end = time.monotonic() + seconds
        while True:
            EventLoop.idle()
            if time.monotonic() >= end:
                return
            time.sleep(0.005)

    def wait_until(self, predicate: Callable[[], object], timeout: float = 10.0):
        end = time.monotonic() + timeout
        while True:
            self.pump()
            value = predicate()
            if value:
                return value
            if time.monotonic() > end:
                raise TimeoutError(f"kiosk did not reach the expected state in {timeout}s "
                                   f"(screen {self.app.root.current!r})")
            time.sleep(0.01)

    def resize(self, width: int, height: int) -> None:
        Window.size = (width, height)
        self.wait_until(lambda: tuple(Window.size) == (width, height), 5)
        self.settle()

    def settle(self, frames: int = 3) -> None:
        """Let layouts and label fitting finish (they run on the next frames)."""
        for _ in range(frames):
            EventLoop.idle()

    @property
    def screen(self):
        return self.app.root.current_screen

    @property
    def view(self):
        """What a finger touches: a view open over the screen (languages, feedback, idle warning), else the screen."""
        return next((w for w in Window.children if isinstance(w, ModalView)), self.screen)

    def widgets(self, kind=Widget, root: Widget | None = None) -> Iterator[Widget]:
        root = root or self.view
        for w in root.walk(restrict=True):
            if isinstance(w, kind) and w.opacity > 0 and w.width > 0 and w.height > 0:
                yield w

    def buttons(self) -> list[KioskButton]:
        return [b for b in self.widgets(KioskButton) if not b.disabled]

    def labels(self, root: Widget | None = None) -> list[FitLabel]:
        return [lb for lb in self.widgets(FitLabel, root) if lb.text]

    def button(self, text: str) -> KioskButton:
        found = [b for b in self.buttons() if b.text == text]
        if len(found) != 1:
            raise LookupError(f"{len(found)} buttons {text!r} on {self.app.root.current!r}: "
                              f"{[b.text for b in self.buttons()]}")
        return found[0]

    def choose_language(self, lang: str) -> int:
        """Tap the language by its name, opening the languages first where the start screen has a
        language button instead of the names (the 7" panel); returns the taps it took."""
        name = LANGUAGE_NAMES.get(lang, lang)
        if any(b.text == name for b in self.buttons()):
            self.tap(name)
            return 1
        self.tap(tr(self.app.lang, "language"))
        self.wait_until(lambda: not self.app.input_blocked() and any(b.text == name for b in self.buttons()), 5)
        self.tap(name)  # once the languages are there and no longer guard against a double tap
        return 2

    def tap(self, widget_or_text) -> None:
        """A finger on the widget's centre and off again, then the frames that follow."""
        self.settle(2)
        self.touch(widget_or_text)
        self.settle(2)

    def touch(self, widget_or_text) -> None:
        """Only the touch, down and up at the widget's centre, through the event loop."""
        widget = self.button(widget_or_text) if isinstance(widget_or_text, str) else widget_or_text
        x, y = widget.to_window(*widget.center)
        finger = Finger(x, y)
        finger.down()
        finger.up()

    def screenshot(self, path: str) -> str:
        """A PNG of the whole window at exactly ``path`` (Kivy itself would number the name)."""
        self.settle()
        os.replace(Window.screenshot(name=path), path)
        return path
