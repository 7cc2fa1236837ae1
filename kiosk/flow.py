"""The citizen's walk through the kiosk, without any Kivy: language, questions, choice, extras.

The walk is a stack of immutable states: every tap pushes one, Back pops one, Start
over empties the stack.  So Back always returns exactly to what the citizen saw,
and the screens only render ``flow.state`` and call one method per button.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from reception.config import Site

LANGUAGE = "language"
QUESTION = "question"
CHOICE = "choice"
EXTRAS = "extras"
FIRST_VISIT = "first_visit"
TICKET = "ticket"
START_QUESTION = "start"


@dataclass(frozen=True)
class Order:
    """What the citizen asked for: everything the hub needs to issue a ticket."""

    service: str
    preference: str = "any"
    extras: tuple[str, ...] = ()
    first_visit: bool | None = None
    lang: str = "da"

    def request(self, request_id: str, *, offline_number: str | None = None,
                issued_at: datetime | None = None) -> dict[str, Any]:
        """The ticket request body (``reception.protocol.encode`` adds the version)."""
        body: dict[str, Any] = {"id": request_id, "service": self.service, "preference": self.preference,
                                "extras": list(self.extras), "first_visit": self.first_visit, "lang": self.lang}
        if offline_number is not None:
            body["offline_number"] = offline_number
            body["issued_at"] = issued_at.isoformat(timespec="seconds")
        return body


@dataclass(frozen=True)
class State:
    step: str = LANGUAGE
    lang: str = "da"
    question: str | None = None
    service: str | None = None
    preference: str = "any"
    extras: frozenset[str] = field(default_factory=frozenset)
    first_visit: bool | None = None


class Flow:
    """One citizen's visit to the kiosk.  Methods raise ValueError for a tap that cannot happen."""

    def __init__(self, site: Site):
        self.site = site
        self.history: list[State] = []
        self.state = State(lang=site.default_language)

    # -- where we are -------------------------------------------------------

    @property
    def step(self) -> str:
        return self.state.step

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def taps(self) -> int:
        return len(self.history)

    def question(self):
        return self.site.questions[self.state.question]

    def service(self):
        return self.site.services[self.state.service] if self.state.service else None

    def extras_offered(self) -> list[str]:
        return self._offered(self.state.service)

    def order(self) -> Order:
        if self.state.step != TICKET:
            raise ValueError("the citizen has not finished yet")
        s = self.state
        return Order(s.service, s.preference, tuple(k for k in self.site.extras if k in s.extras),
                     s.first_visit, s.lang)

    # -- taps ---------------------------------------------------------------

    def choose_language(self, lang: str) -> None:
        """On the start screen: pick the language and go to the first question."""
        self._expect(LANGUAGE)
        if lang not in self.site.languages:
            raise ValueError(f"language {lang!r} is not offered at this site")
        self._push(replace(self.state, lang=lang, step=QUESTION, question=START_QUESTION))

    def answer(self, index: int) -> None:
        self._expect(QUESTION)
        answers = self.question().answers
        if not 0 <= index < len(answers):
            raise ValueError(f"no answer {index} on question {self.state.question!r}")
        chosen = answers[index]
        if chosen.next:
            self._push(replace(self.state, question=chosen.next))
        else:
            self._push(self._after_service(replace(self.state, service=chosen.service)))

    def choose(self, preference: str) -> None:
        """Volunteer or staff, where the service lets the citizen choose."""
        self._expect(CHOICE)
        if preference not in ("volunteer", "staff"):
            raise ValueError(f"unknown preference {preference!r}")
        self._push(self._after_choice(replace(self.state, preference=preference)))

    def toggle_extra(self, key: str) -> None:
        """Ticks or unticks one need on the extras screen (no new step: Back leaves the screen)."""
        self._expect(EXTRAS)
        if key not in self.extras_offered():
            raise ValueError(f"extra {key!r} is not offered")
        self.state = replace(self.state, extras=self.state.extras ^ {key})

    def extras_done(self) -> None:
        self._expect(EXTRAS)
        self._push(replace(self.state, step=FIRST_VISIT))

    def answer_first_visit(self, first_visit: bool | None) -> None:
        """True, False, or None for "skip": the question is optional."""
        self._expect(FIRST_VISIT)
        self._push(replace(self.state, step=TICKET, first_visit=first_visit))

    def back(self) -> None:
        if self.history:
            self.state = self.history.pop()

    def start_over(self, *, keep_language: bool = True) -> None:
        lang = self.state.lang if keep_language else self.site.default_language
        self.history.clear()
        self.state = State(lang=lang)

    # -- internals ----------------------------------------------------------

    def _after_service(self, state: State) -> State:
        service = self.site.services[state.service]
        if service.citizen_chooses:
            return replace(state, step=CHOICE, preference="any")
        return self._after_choice(replace(state, preference="any"))

    def _after_choice(self, state: State) -> State:
        return replace(state, step=EXTRAS if self._offered(state.service) else FIRST_VISIT)

    def _offered(self, service: str | None) -> list[str]:
        """The site's extra needs, minus one that repeats the chosen service (an appointment)."""
        return [key for key in self.site.extras if key != service]

    def _push(self, state: State) -> None:
        self.history.append(self.state)
        self.state = state

    def _expect(self, step: str) -> None:
        if self.state.step != step:
            raise ValueError(f"tap for {step!r} while on {self.state.step!r}")
