"""Read-aloud through espeak-ng, in the citizen's language, never blocking the screen.

Each request stops the previous one (a citizen who taps on should not hear the old
screen).  A missing espeak-ng or sound device is logged once and otherwise ignored:
the kiosk works the same without a voice.  ``wav_dir`` writes WAV files instead of
playing (for tests and for machines without a speaker).
"""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from kiosk.i18n import VOICES

log = logging.getLogger(__name__)


class Speaker:
    def __init__(self, enabled: bool = True, *, wav_dir: str | Path | None = None, rate: int = 135):
        self.binary = shutil.which("espeak-ng") if enabled else None
        if enabled and not self.binary:
            log.warning("espeak-ng not found: read-aloud is off")
        self.wav_dir = Path(wav_dir) if wav_dir else None
        self.rate = rate
        self.spoken = 0
        self._proc: subprocess.Popen | None = None

    @property
    def available(self) -> bool:
        return self.binary is not None

    def say(self, text: str, lang: str) -> None:
        """Start speaking ``text``; returns at once."""
        if not self.binary or not text.strip():
            return
        self.silence()
        cmd = [self.binary, "-v", VOICES.get(lang, lang), "-s", str(self.rate)]
        if self.wav_dir:
            self.wav_dir.mkdir(parents=True, exist_ok=True)
            cmd += ["-w", str(self.wav_dir / f"speech-{self.spoken:03d}.wav")]
        try:
            self._proc = subprocess.Popen(cmd + ["--", text], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.spoken += 1
        except OSError as exc:
            log.warning("read-aloud failed: %s", exc)

    def silence(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
        self._proc = None

    def wait(self, timeout: float = 10) -> None:
        """For tests and shutdown: let the current utterance finish."""
        if self._proc:
            self._proc.wait(timeout)
