"""Single keys from a terminal, or from a pipe, for the desk console and the keyboard stand-in for buttons.

In a terminal each key acts at once (cbreak mode, no Enter); from a pipe (tests,
``echo n | reception console``) every character of every line is a key, and a key
that needs more (``c`` wants a ticket number) takes the rest of its line.
"""
from __future__ import annotations

import contextlib
import sys
from typing import IO, Iterator


class KeyReader:
    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream or sys.stdin
        self._rest = ""

    @contextlib.contextmanager
    def raw_keys(self) -> Iterator["KeyReader"]:
        """Cbreak mode while inside, when reading from a terminal; the terminal is restored after."""
        if not self.stream.isatty():
            yield self
            return
        import termios
        import tty

        fd = self.stream.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            yield self
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    def key(self) -> str | None:
        """The next key that is not blank; None at end of input."""
        while True:
            if not self._rest:
                self._rest = self.stream.read(1) if self.stream.isatty() else self.stream.readline()
                if not self._rest:
                    return None
            char, self._rest = self._rest[0], self._rest[1:]
            if not char.isspace():
                return char

    def line(self, prompt: str, out: IO[str]) -> str:
        """The rest of the current line, or a new line typed after ``prompt``."""
        if self._rest.strip():
            text, self._rest = self._rest.strip(), ""
            return text
        self._rest = ""
        out.write(prompt)
        out.flush()
        if not self.stream.isatty():
            return self.stream.readline().strip()
        import termios

        fd = self.stream.fileno()
        mode = termios.tcgetattr(fd)
        cooked = mode[:3] + [mode[3] | termios.ICANON | termios.ECHO] + mode[4:]
        termios.tcsetattr(fd, termios.TCSADRAIN, cooked)
        try:
            return self.stream.readline().strip()
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, mode)
