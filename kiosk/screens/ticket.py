"""The ticket: the number, very large; the reason; the wait; how the citizen will be called.

The screen fills in as the answers arrive: "getting your number" until the hub (or
the offline outbox) has issued it, then the number, then the printer's outcome.
A printer problem is said plainly and the number stays up longer.

Once the number is up, and only then, the screen asks "is this your first visit
about this?" with a Yes and a No: the ticket is already in hand, so nobody has to
answer, and a changed mind simply taps the other button.  Not when the printer has
failed: then the message to remember the number gets the room.

A checked-in appointment shows its booked time beside the number.  A booking that became an
ordinary number (late, a code the hub does not know, or no hub to ask) is explained kindly in
the row under the number, where "you will be called" would stand: the explanation gets the
room, and the first-visit question is not asked then.
"""
from __future__ import annotations

from kivy.properties import AliasProperty, BooleanProperty, ObjectProperty, OptionProperty, StringProperty

from kiosk.check_in import BOOKED
from kiosk.i18n import tr
from reception.protocol import IssuedTicket
from kiosk.screens import KioskScreen

ISSUING, SHOWN, REFUSED = "issuing", "shown", "refused"


class TicketScreen(KioskScreen):
    phase = StringProperty(ISSUING)
    number = StringProperty("")
    reason = StringProperty("")
    wait = StringProperty("")
    message = StringProperty("")
    note = StringProperty("")  # why a booking became an ordinary number, in plain words
    printer_failed = BooleanProperty(False)
    first_visit = OptionProperty("", options=["", "yes", "no"])  # "": not answered
    ticket = ObjectProperty(None, allownone=True)
    # Not while the printer has failed: then the citizen must remember the number, and nothing else.
    asking = AliasProperty(lambda self: self.phase == SHOWN and not self.printer_failed and not self.note, None,
                           bind=("phase", "printer_failed", "note"))

    def begin(self, reason: str) -> None:
        self.phase, self.number, self.reason, self.wait, self.note = ISSUING, "", reason, "", ""
        self.printer_failed, self.first_visit, self.ticket = False, "", None
        self.message = tr(self.app.lang, "issuing")

    def show(self, ticket: IssuedTicket, check_in: str | None = None, reason: str | None = None) -> None:
        """``check_in``: what became of a booking (``kiosk.check_in.outcome``); ``reason``: the booked
        service's name, when the hub checked the citizen in for another than the answer's."""
        lang = self.app.lang
        # issued by the kiosk alone: the wait is not known (a booking's note says why, and gets the room)
        parts = [tr(lang, "wait_unknown")] if ticket.offline and not check_in else []
        if check_in == BOOKED:
            booked = ticket.booked_at.astimezone(self.app.site.tz)
            parts.append(tr(lang, "booked_time", time=booked.strftime("%H:%M")))
        self.note = tr(lang, f"check_in_{check_in}") if check_in and check_in != BOOKED else ""
        self.reason = reason or self.reason
        if ticket.eta_min is not None:
            parts.append(tr(lang, "wait_about", minutes=ticket.eta_min))
        if ticket.ahead is not None and check_in != BOOKED:  # called at the booked time: the time says it
            parts.append(tr(lang, "ahead", count=ticket.ahead) if ticket.ahead else tr(lang, "next"))
        self.phase, self.number, self.wait = SHOWN, ticket.number, "\n".join(parts)
        self.ticket = ticket
        self.message = self.note or tr(lang, "printing")

    def refuse(self) -> None:
        self.phase, self.number, self.wait = REFUSED, "", ""
        self.message = tr(self.app.lang, "refused")

    def printed(self, state: str) -> None:
        self.printer_failed = state not in ("ok", "paper_low")
        lang = self.app.lang
        self.message = tr(lang, "printer_failed") if self.printer_failed else self.note or tr(lang, "called")

    def spoken(self) -> str:
        lang = self.app.lang
        if self.phase != SHOWN:
            return self.message
        number = " ".join(self.number)  # "C 0 0 4": read digit by digit, as the board calls it
        question = f" {tr(lang, 'first_visit_title')}" if self.asking and not self.first_visit else ""
        return f"{tr(lang, 'ticket_title')}: {number}. {self.reason}. {self.wait}. {self.message}{question}"
