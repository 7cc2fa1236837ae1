"""The citizen's walk through the kiosk, without any Kivy: questions, choice, a ticket.

The walk is a stack of immutable states: every step pushes one, Back pops one, Start
over empties the stack.  So Back always returns exactly to what the citizen saw,
and the screens only render ``flow.state`` and call one method per button.

Only answers and the volunteer-or-staff choice are steps, so every service of the
example site is at most three taps from the start screen.  The language is picked on
the start screen itself (Danish is already chosen), the extra needs are an optional
detour that returns to the same question, and "first visit about this?" is asked
after the number is on the screen.  The extra needs and the language belong to the
visit, not to a screen: Back keeps them.

"I have an appointment" (an answer with ``check_in``) opens the keypad for the booking
code; a citizen without one goes on to the next hour's times and picks theirs, or says it
is not there.  A digit is not a step (Back leaves the keypad, not the last digit: "Erase"
does that); the code's OK, the picked time and "not in the list" are.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from reception.config import Site
from reception.protocol import TicketRequest

START = "start"            # welcome, the first question and the languages, on one screen
QUESTION = "question"
CHOICE = "choice"
EXTRAS = "extras"          # optional: opened from a question screen, returns to it
TICKET = "ticket"          # the number; "first visit about this?" is asked here, after it
CODE = "code"              # "I have an appointment": the keypad for the booking code
SLOTS = "slots"            # no code: the next hour's appointments, by time and service
START_QUESTION = "start"
CODE_DIGITS = (4, 6)       # a booking code is 4 to 6 digits


@dataclass(frozen=True)
class Order:
    """What the citizen asked for: everything the hub needs to issue a ticket."""

    service: str
    preference: str = "any"
    extras: tuple[str, ...] = ()
    first_visit: bool | None = None
    lang: str = "da"
    booking: str | None = None  # the code typed on the keypad
    slot: str | None = None     # or the time picked from the list (the hub's opaque slot id)

    def request(self, request_id: str, *, offline_number: str | None = None, issued_at: datetime | None = None,
                replaces: str | None = None, sent_at: datetime | None = None) -> TicketRequest:
        """The ticket request: issued at whole seconds, sent at whole milliseconds (so it reads the same at the hub).

        ``replaces``: the id of an online request that got no reply, so the hub can withdraw
        the ticket it may have issued for it (nobody holds that one).  An offline ticket's hand-over carries
        the booking or slot too: the number stays as printed, and the hub counts the booking as kept.
        """
        return TicketRequest(request_id, self.service, self.preference, self.extras, self.first_visit, self.lang,
                             offline_number=offline_number,
                             issued_at=None if offline_number is None else issued_at.replace(microsecond=0),
                             replaces=replaces,
                             sent_at=None if sent_at is None else sent_at.replace(microsecond=sent_at.microsecond
                                                                                  // 1000 * 1000),
                             booking=self.booking, slot=self.slot)

    @property
    def checking_in(self) -> bool:
        return bool(self.booking or self.slot)


@dataclass(frozen=True)
class State:
    step: str = START
    lang: str = "da"
    question: str = START_QUESTION
    service: str | None = None
    preference: str = "any"
    extras: frozenset[str] = field(default_factory=frozenset)
    first_visit: bool | None = None
    code: str = ""                  # the digits typed so far on the keypad
    slot: str | None = None         # the slot picked from the time list ...
    booked_at: datetime | None = None  # ... and its time, for the ticket screen


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
        """Steps taken from the start screen (a language tap or a tick is not a step)."""
        return len(self.history) - (self.state.step == EXTRAS)

    def question(self):
        return self.site.questions[self.state.question]

    def service(self):
        return self.site.services[self.state.service] if self.state.service else None

    def extras_offered(self) -> list[str]:
        """The site's extra needs, minus one that repeats the chosen service or an answer on this question.

        "I have an appointment" is an answer on the first question of the example site: offering it
        again among the extra needs there would only ask the same thing twice.
        """
        s = self.state
        repeated = {s.service} | {a.service for a in self.site.questions[s.question].answers}
        return [key for key in self.site.extras if key not in repeated]

    def order(self) -> Order:
        if self.state.step != TICKET:
            raise ValueError("the citizen has not finished yet")
        s = self.state
        return Order(s.service, s.preference, tuple(k for k in self.site.extras if k in s.extras and k != s.service),
                     s.first_visit, s.lang, booking=s.code or None, slot=s.slot)

    # -- taps ---------------------------------------------------------------

    def choose_language(self, lang: str) -> None:
        """On the start screen: the same screen again, in ``lang`` (not a step: Back does not undo it)."""
        self._expect(START)
        if lang not in self.site.languages:
            raise ValueError(f"language {lang!r} is not offered at this site")
        self.state = replace(self.state, lang=lang)

    def answer(self, index: int) -> None:
        self._expect(START, QUESTION)
        answers = self.question().answers
        if not 0 <= index < len(answers):
            raise ValueError(f"no answer {index} on question {self.state.question!r}")
        chosen = answers[index]
        if chosen.next:
            self._push(replace(self.state, step=QUESTION, question=chosen.next))
        elif chosen.check_in:
            self._push(replace(self.state, step=CODE, service=chosen.service, preference="any", code=""))
        else:
            self._push(self._after_service(replace(self.state, service=chosen.service)))

    def choose(self, preference: str) -> None:
        """Volunteer or staff, where the service lets the citizen choose."""
        self._expect(CHOICE)
        if preference not in ("volunteer", "staff"):
            raise ValueError(f"unknown preference {preference!r}")
        self._push(replace(self.state, step=TICKET, preference=preference))

    def open_extras(self) -> None:
        """The optional "special needs" detour from a question screen."""
        self._expect(START, QUESTION)
        if not self.extras_offered():
            raise ValueError("no extra needs to offer here")
        self._push(replace(self.state, step=EXTRAS))

    def toggle_extra(self, key: str) -> None:
        """Ticks or unticks one need on the extras screen (no new step)."""
        self._expect(EXTRAS)
        if key not in self.extras_offered():
            raise ValueError(f"extra {key!r} is not offered")
        self.state = replace(self.state, extras=self.state.extras ^ {key})

    def close_extras(self) -> None:
        """Back to the question the citizen came from, the ticks kept."""
        self._expect(EXTRAS)
        self.back()

    def press_digit(self, digit: str) -> bool:
        """A key of the keypad (not a step); False when the code already has all its digits."""
        self._expect(CODE)
        if len(digit) != 1 or digit not in "0123456789":
            raise ValueError(f"no key {digit!r} on the keypad")
        if len(self.state.code) >= CODE_DIGITS[1]:
            return False
        self.state = replace(self.state, code=self.state.code + digit)
        return True

    def erase(self) -> None:
        """The last digit off again (not a step)."""
        self._expect(CODE)
        self.state = replace(self.state, code=self.state.code[:-1])

    @property
    def code_complete(self) -> bool:
        return CODE_DIGITS[0] <= len(self.state.code) <= CODE_DIGITS[1]

    def confirm_code(self) -> None:
        """OK on the keypad: the ticket, checked in with the code."""
        self._expect(CODE)
        if not self.code_complete:
            raise ValueError(f"a booking code has {CODE_DIGITS[0]} to {CODE_DIGITS[1]} digits")
        self._push(replace(self.state, step=TICKET))

    def no_code(self) -> None:
        """ "I have no code": the next hour's times instead (the digits typed are dropped)."""
        self._expect(CODE)
        self._push(replace(self.state, step=SLOTS, code=""))

    def pick_slot(self, slot: str, at: datetime) -> None:
        """The citizen's own time in the list: the ticket, checked in with its slot id."""
        self._expect(SLOTS)
        self._push(replace(self.state, step=TICKET, slot=slot, booked_at=at))

    def not_listed(self) -> None:
        """ "My time is not in the list": an ordinary ticket for the answer's service."""
        self._expect(SLOTS)
        self._push(replace(self.state, step=TICKET))

    def answer_first_visit(self, first_visit: bool) -> None:
        """On the ticket screen, after the number: optional, and may be changed (not a step)."""
        self._expect(TICKET)
        self.state = replace(self.state, first_visit=bool(first_visit))

    def back(self) -> None:
        """One step back; the language and the ticked needs stay as they are."""
        if self.history:
            s = self.state
            self.state = replace(self.history.pop(), lang=s.lang, extras=s.extras)

    def start_over(self, *, keep_language: bool = True) -> None:
        lang = self.state.lang if keep_language else self.site.default_language
        self.history.clear()
        self.state = State(lang=lang)

    # -- internals ----------------------------------------------------------

    def _after_service(self, state: State) -> State:
        service = self.site.services[state.service]
        if service.citizen_chooses:
            return replace(state, step=CHOICE, preference="any")
        return replace(state, step=TICKET, preference="any")

    def _push(self, state: State) -> None:
        self.history.append(self.state)
        self.state = state

    def _expect(self, *steps: str) -> None:
        if self.state.step not in steps:
            raise ValueError(f"tap for {' or '.join(steps)!r} while on {self.state.step!r}")
