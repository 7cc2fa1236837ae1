"""The kiosk's side of the queue: new tickets, offline tickets handed over, withdrawn ones, late answers.

A part of ``Queue`` (its base class), kept apart because it is about tickets coming in, not
about desks taking them.  It works on the queue's tickets, numbering and call order
(``tickets``, ``_last``, ``_order``) and its ``_finish`` and ``_service``.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from reception import schedule
from reception.errors import QueueError

from hub.core import numbering
from hub.core.model import EXPIRED, WAITING, Effects, Event, Ticket


class Issuing:

    def issue(self, service: str, now: datetime, *, preference: str = "any", extras: tuple[str, ...] = (),
              first_visit: bool | None = None, kiosk: str | None = None, lang: str | None = None,
              booked_at: datetime | None = None, booked_desk: str | None = None) -> tuple[Ticket, Effects]:
        """A new ticket with the next free number of its service today; with ``booked_at`` a checked-in
        appointment's (``hub.core.checkin``), called from that time on, at ``booked_desk`` if given."""
        svc = self._service(service)
        preference = self._preference(svc, preference)
        day = schedule.local_day(self.site, now)
        n = numbering.next_free(self._last.get((day, svc.letter), 0), self.site.reserved_numbers())
        self._last[(day, svc.letter)] = n
        ticket = Ticket(numbering.format_number(svc.letter, n), service, day, now, preference,
                        tuple(e for e in extras if e in self.site.extras), first_visit, kiosk,
                        lang=self._lang(lang), booked_at=booked_at,
                        booked_desk=booked_desk if booked_desk in self.site.desks else None)
        return ticket, self._add(ticket, now)

    def import_offline(self, number: str, service: str, issued_at: datetime, now: datetime, *, kiosk: str,
                       preference: str = "any", extras: tuple[str, ...] = (),
                       first_visit: bool | None = None, lang: str | None = None) -> tuple[Ticket, Effects]:
        """Take over a ticket a kiosk issued on its own, keeping its place (its issue time)."""
        svc = self._service(service)
        letter, n = numbering.parse_number(number)
        if letter != svc.letter:
            raise QueueError(f"number {number} does not belong to service {service!r} ({svc.letter})")
        k = self.site.kiosks.get(kiosk)
        if k is None or not numbering.in_ranges(n, [k.offline_numbers]):
            raise QueueError(f"number {number} is outside the offline range of kiosk {kiosk!r}")
        if issued_at > now + timedelta(minutes=5):
            raise QueueError("issued_at lies in the future")
        if issued_at < now - timedelta(days=self.site.retention_days):  # a day the hub no longer keeps
            raise QueueError(f"issued_at lies more than {self.site.retention_days} days back")
        day = schedule.local_day(self.site, issued_at)
        existing = self.tickets.get(f"{day}/{number}")
        if existing:
            return existing, Effects()  # handed over before: the same ticket, once
        ticket = Ticket(number, service, day, issued_at, self._preference(svc, preference),
                        tuple(e for e in extras if e in self.site.extras), first_visit, kiosk, offline=True,
                        lang=self._lang(lang))
        effects = self._add(ticket, now)
        if day < schedule.local_day(self.site, now):
            effects.merge(self._finish(ticket, EXPIRED, now))
        return ticket, effects

    def withdraw(self, number: str, day: str, kiosk: str, now: datetime) -> Effects:
        """A kiosk gave up waiting for this ticket and printed its own: nobody holds this one."""
        ticket = self.tickets.get(f"{day}/{number}")
        if ticket is None or ticket.kiosk != kiosk or ticket.state != WAITING:
            return Effects()
        effects = self._finish(ticket, EXPIRED, now)
        effects.events.append(Event("withdrawn", now, ticket.key, detail={"kiosk": kiosk}))
        return effects

    def set_first_visit(self, number: str, kiosk: str, value: bool, now: datetime) -> Effects:
        """The citizen answered "first visit about this?" on the ticket screen, after the number was issued."""
        ticket = self.find(number, now)
        if ticket is None:
            raise QueueError(f"no ticket {number} today")
        if ticket.kiosk != kiosk:
            raise QueueError(f"ticket {number} was not issued by kiosk {kiosk!r}")
        effects = Effects()
        if ticket.first_visit is not value:
            ticket.first_visit = value
            effects.touch(ticket)
        return effects

    def _add(self, ticket: Ticket, now: datetime) -> Effects:
        self.tickets[ticket.key] = ticket
        self._order.sync(ticket)
        effects = Effects()
        effects.touch(ticket)
        effects.events.append(Event("issued", now, ticket.key, detail={"offline": ticket.offline}))
        return effects

    def _lang(self, lang: str | None) -> str:
        """One of the site's languages (a kiosk offers no other), else the site's first."""
        return lang if lang in self.site.languages else self.site.default_language

    def _preference(self, svc, preference: str) -> str:
        """The citizen's choice counts only where both kinds may help; otherwise the service decides."""
        if not svc.citizen_chooses:
            return "staff" if svc.served_by == {"staff"} else "volunteer"
        return preference
