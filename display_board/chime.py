"""The chime before each announcement: a soft two-tone "ding-dong", made once with the stdlib.

Generated rather than shipped so there is no binary asset to license or lose; a sine
with a short attack and a long decay sounds like a bell and never clips.
"""
from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
TONES = ((659.25, 0.45), (523.25, 0.65))  # E5 then C5, seconds each
VOLUME = 0.45


def samples() -> list[int]:
    out = []
    for freq, seconds in TONES:
        n = int(RATE * seconds)
        for i in range(n):
            t = i / RATE
            envelope = min(1.0, t / 0.01) * math.exp(-3.5 * t / seconds)
            out.append(int(32767 * VOLUME * envelope * math.sin(2 * math.pi * freq * t)))
    return out


def write_chime(path: Path) -> Path:
    """Write the chime as 16-bit mono WAV unless it is already there; return its path."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        data = samples()
        w.writeframes(struct.pack(f"<{len(data)}h", *data))
    tmp.replace(path)
    return path
