"""The kiosk's "Tell us how it went": five faces, a few fixed reasons, optionally the letter on the ticket.

Pure: the answer being given (``FeedbackForm``), the pause between two answers
that keeps one person from flooding the figures (``Lockout``), and the message for
the hub.  There is no free text anywhere, so an answer cannot carry personal data;
the visit reason comes from the letter printed on the citizen's ticket.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from reception import protocol
from reception.config import Site

FACES = (1, 2, 3, 4, 5)  # 1 very unhappy ... 5 very happy
TAGS = protocol.FEEDBACK_TAGS
LOCKOUT_SECONDS = 20.0  # after an answer the button rests this long: a second answer needs a second visit
FACES_STEP, TAGS_STEP, LETTER_STEP, THANKS_STEP = "faces", "tags", "letter", "thanks"
STEPS = (FACES_STEP, TAGS_STEP, LETTER_STEP, THANKS_STEP)


@dataclass
class FeedbackForm:
    """One answer as the citizen gives it, step by step."""

    step: str = FACES_STEP
    score: int | None = None
    tags: list[str] = field(default_factory=list)
    service: str | None = None

    def choose_face(self, score: int) -> None:
        if score not in FACES:
            raise ValueError(f"no face {score}")
        self.score, self.step = score, TAGS_STEP

    def toggle(self, tag: str) -> None:
        if tag not in TAGS:
            raise ValueError(f"no reason {tag!r}")
        if tag in self.tags:
            self.tags.remove(tag)
        else:
            self.tags.append(tag)

    def tags_done(self) -> None:
        self.step = LETTER_STEP

    def choose_service(self, service: str | None) -> None:
        """The visit reason from the ticket's letter, or None when the citizen skips it; ends the answer."""
        self.service, self.step = service, THANKS_STEP

    def back(self) -> bool:
        """One step back; False on the first step (the caller closes the form)."""
        index = STEPS.index(self.step)
        if index == 0 or self.step == THANKS_STEP:
            return False
        self.step = STEPS[index - 1]
        return True

    def message(self, at: datetime, answer_id: str | None = None) -> protocol.Feedback:
        """The ``kiosk/<kiosk>/feedback`` message; a fresh id makes each answer count once however often it is sent."""
        if self.score is None:
            raise ValueError("no face chosen")
        return protocol.Feedback(answer_id or uuid.uuid4().hex, self.score, tuple(self.tags), self.service, at)


def services_by_letter(site: Site) -> list[tuple[str, str]]:
    """``(letter, service id)`` in letter order: what the citizen finds on their ticket."""
    return sorted((svc.letter, sid) for sid, svc in site.services.items())


class Lockout:
    """Open until an answer is given, then closed for ``seconds``."""

    def __init__(self, seconds: float = LOCKOUT_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.clock = seconds, clock
        self._until = 0.0

    @property
    def ready(self) -> bool:
        return self.clock() >= self._until

    def answered(self) -> None:
        self._until = self.clock() + self.seconds
