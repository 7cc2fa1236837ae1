"""Announcements: a chime, then "Nummer A 12, Skranke 3" spoken by espeak-ng, one call after another.

A single worker thread owns the loudspeaker: calls are queued as they arrive and each
is spoken to the end before the next starts, so a burst is never cut off or lost.
Speech is made offline by espeak-ng into WAV files and played with ``aplay`` (or
``paplay``/``pw-play``).  With no sound device the board logs it once and goes on
in silence.  ``record_only`` (tests, benches) writes the WAV files and records the
exact espeak-ng command lines without playing anything.
"""
from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Sequence

from display_board.chime import write_chime
from display_board.model import ShownCall
from display_board.wording import has_language, spoken_number, text
from reception.catalogue import voice

log = logging.getLogger(__name__)

PLAYERS = (("aplay", "-q"), ("paplay",), ("pw-play",))
WORDS_PER_MINUTE = 140  # a little slower than espeak-ng's 175: the room is large and many listeners are old


def announcement_text(call: ShownCall, lang: str) -> str:
    return text("announcement", lang, number=spoken_number(call.number), desk=call.desk(lang))


def spoken_languages(call: ShownCall, configured: Sequence[str]) -> tuple[str, ...]:
    """Danish (the site's first language), then the ticket's own language when it is another one:
    a citizen who took a Ukrainian ticket hears the call in Ukrainian.  A call that does not say
    its language (an older hub) is spoken in the configured languages."""
    first = configured[0]
    if call.lang is None:
        return tuple(configured)
    return (first,) if call.lang == first or not has_language(call.lang) else (first, call.lang)


def speech_command(speech: str, lang: str, wav: Path) -> list[str]:
    return ["espeak-ng", "-v", voice(lang), "-s", str(WORDS_PER_MINUTE), "-w", str(wav), speech]


def find_player() -> list[str] | None:
    for player in PLAYERS:
        if shutil.which(player[0]):
            return list(player)
    return None


class Announcer:
    """Queue calls with ``announce``; a worker thread speaks them in order."""

    def __init__(self, languages: Sequence[str], work_dir: Path, *, record_only: bool = False,
                 player: list[str] | None = None):
        self.languages = tuple(languages)
        self.work_dir = Path(work_dir)
        self.record_only = record_only
        self.player = None if record_only else (player or find_player())
        self.commands: list[list[str]] = []  # every espeak-ng command line run, in order
        self._queue: queue.Queue[ShownCall | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="announcer", daemon=True)
        self._count = 0
        self._silent_reason: str | None = None  # why the last playback failed; logged once per outage
        self.chime = write_chime(self.work_dir / "chime.wav")

    def start(self) -> "Announcer":
        if not self.record_only and not self.player:
            self._go_silent("no audio player found (install alsa-utils)")
        self._thread.start()
        return self

    def announce(self, call: ShownCall) -> None:
        """Thread-safe; returns at once."""
        self._queue.put(call)

    def wait_idle(self, timeout: float = 30) -> bool:
        """True once every queued call has been announced (for tests and benches)."""
        done = threading.Event()
        threading.Thread(target=lambda: (self._queue.join(), done.set()), daemon=True).start()
        return done.wait(timeout)

    def stop(self, timeout: float = 5) -> None:
        """Say nothing more: calls still queued are dropped (nobody hears a board that is stopping),
        so a stop waits for at most the announcement being spoken now."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
            self._queue.task_done()
        self._queue.put(None)
        self._thread.join(timeout)

    # -- worker ------------------------------------------------------------

    def _work(self) -> None:
        while True:
            call = self._queue.get()
            try:
                if call is None:
                    return
                self._speak(call)
            except Exception:  # one failed announcement must not silence the rest of the day
                log.exception("announcing %s failed", getattr(call, "number", "?"))
            finally:
                self._queue.task_done()

    def _speak(self, call: ShownCall) -> None:
        self._count += 1
        wavs = []
        for lang in spoken_languages(call, self.languages):
            wav = self.work_dir / f"{self._count:05d}-{call.number}-{lang}.wav"
            cmd = speech_command(announcement_text(call, lang), lang, wav)
            self.commands.append(cmd)
            if self._run(cmd, "espeak-ng"):
                wavs.append(wav)
        if self.record_only:
            return
        if self.player:
            for sound in [self.chime, *wavs]:
                if not self._run([*self.player, str(sound)], "playback"):
                    break
        for wav in wavs:
            wav.unlink(missing_ok=True)

    def _run(self, cmd: list[str], what: str) -> bool:
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self._go_silent(f"{what}: {exc}")
            return False
        if done.returncode != 0:
            self._go_silent(f"{what}: {done.stderr.decode(errors='replace').strip()[:200]}")
            return False
        if what == "playback" and self._silent_reason:
            log.info("sound is back; announcing again")
            self._silent_reason = None
        return True

    def _go_silent(self, reason: str) -> None:
        if self._silent_reason is None:
            log.warning("announcements are silent (%s); the board keeps showing calls", reason)
        self._silent_reason = reason
