"""What goes on a citizen's ticket: the one place both the kiosk and ``reception print-preview`` fill it.

The reason in the citizen's language, the helper they chose, and (for services volunteers
may serve) the next volunteer sessions, worded as on the kiosk's screen.
"""
from __future__ import annotations

from datetime import datetime

from hardware.ticket_layout import TicketContent
from reception.config import Service, Site
from reception.sessions import next_sessions_text

TICKET_SESSIONS = 3  # volunteer sessions listed on a ticket


def ticket_content(site: Site, service: Service, lang: str, *, number: str, issued_at: datetime, now: datetime,
                   eta_min: int | None, ahead: int | None, offline: bool = False,
                   preference: str = "any", booked_at: datetime | None = None,
                   check_in: str | None = None) -> TicketContent:
    """The ticket for ``number``; ``now`` dates the volunteer sessions, ``preference`` is the citizen's
    choice of helper ("volunteer", "staff" or "any"), printed only where the citizen may choose;
    ``booked_at`` the time of a checked-in appointment, ``check_in`` why a booking became an ordinary
    number ("late", "unknown", "unchecked": ``kiosk.check_in``)."""
    sessions = next_sessions_text(site, now, lang, TICKET_SESSIONS) if service.volunteer_may_serve else ()
    return TicketContent(number=number, reason=service.name.get_text(lang), lang=lang, issued_at=issued_at,
                         eta_min=eta_min, ahead=ahead, volunteer_sessions=sessions, offline=offline,
                         helper=preference if service.citizen_chooses and preference != "any" else None,
                         booked_at=booked_at, check_in=check_in)
