"""The ticket: the number, very large; the reason; the wait; how the citizen will be called.

The screen fills in as the answers arrive: "getting your number" until the hub (or
the offline outbox) has issued it, then the number, then the printer's outcome.
A printer problem is said plainly and the number stays up longer.
"""
from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

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
    printer_failed = BooleanProperty(False)

    def begin(self, reason: str) -> None:
        self.phase, self.number, self.reason, self.wait = ISSUING, "", reason, ""
        self.printer_failed = False
        self.message = tr(self.app.lang, "issuing")

    def show(self, ticket: IssuedTicket) -> None:
        lang = self.app.lang
        parts = []
        if ticket.eta_min is not None:
            parts.append(tr(lang, "wait_about", minutes=ticket.eta_min))
        if ticket.ahead is not None:
            parts.append(tr(lang, "ahead", count=ticket.ahead))
        self.phase, self.number, self.wait = SHOWN, ticket.number, "\n".join(parts)
        self.message = tr(lang, "printing")

    def refuse(self) -> None:
        self.phase, self.number, self.wait = REFUSED, "", ""
        self.message = tr(self.app.lang, "refused")

    def printed(self, state: str) -> None:
        self.printer_failed = state not in ("ok", "paper_low")
        lang = self.app.lang
        self.message = tr(lang, "printer_failed") if self.printer_failed else tr(lang, "called")

    def spoken(self) -> str:
        lang = self.app.lang
        if self.phase != SHOWN:
            return self.message
        number = " ".join(self.number)  # "C 0 0 4": read digit by digit, as the board calls it
        return f"{tr(lang, 'ticket_title')}: {number}. {self.reason}. {self.wait}. {self.message}"
