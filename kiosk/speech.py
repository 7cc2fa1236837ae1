"""Read-aloud through espeak-ng, in the citizen's language, never blocking the screen.

Each request stops the previous one (a citizen who taps on should not hear the old
screen).  A missing espeak-ng or sound device is logged once and otherwise ignored:
the kiosk works the same without a voice.  ``wav_dir`` writes WAV files instead of
playing (for tests and for machines without a speaker).

The screen keeps its short words ("ca. 12 min.", "бл. 12 хв"); the voice says them in
full (``full_words``): espeak-ng reads Danish "min." as "min" (my) and spells the
Ukrainian abbreviations letter by letter.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import re
from pathlib import Path

from reception.catalogue import voice

log = logging.getLogger(__name__)


# (pattern, replacement) per language; "{n}" patterns get the number and the right form for it.
ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "da": ((r"\bca\.", "cirka"), (r"\bkl\.", "klokken")),
    "de": ((r"\bca\.", "circa"),),
    "uk": ((r"\bбл\.", "близько"),),
}
MINUTES = {  # "12 min" -> "12 minutter": (abbreviation, one, many)
    "da": (r"min\b", "minut", "minutter"),  # a full stop after it stays: it ends the sentence
    "en": (r"min\b", "minute", "minutes"),
    "de": (r"Min\b", "Minute", "Minuten"),
    "uk": (r"хв\b", "хвилини", "хвилин"),  # after "близько": genitive, singular only for 1, 21, 31 ...
}


TIME = re.compile(r"\b0?(\d{1,2}):(\d\d)\b")  # "09:00" is said "9", "12:30" "12 30", not "nul ni nul nul"


def full_words(text: str, lang: str) -> str:
    """``text`` as it should be spoken: abbreviations written out, minutes in the right form, times as said."""
    text = TIME.sub(lambda m: m.group(1) if m.group(2) == "00" else f"{m.group(1)} {m.group(2)}", text)
    for pattern, word in ABBREVIATIONS.get(lang, ()):
        text = re.sub(pattern, word, text)
    if lang in MINUTES:
        abbreviation, one, many = MINUTES[lang]

        def minutes(match: re.Match) -> str:
            n = int(match.group(1))
            single = n % 10 == 1 and n % 100 != 11 if lang == "uk" else n == 1
            return f"{n} {one if single else many}"
        text = re.sub(rf"(\d+)\s*{abbreviation}", minutes, text)
    return text


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
        cmd = [self.binary, "-v", voice(lang), "-s", str(self.rate)]
        if self.wav_dir:
            self.wav_dir.mkdir(parents=True, exist_ok=True)
            cmd += ["-w", str(self.wav_dir / f"speech-{self.spoken:03d}.wav")]
        try:
            self._proc = subprocess.Popen(cmd + ["--", full_words(text, lang)], stdin=subprocess.DEVNULL,
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
