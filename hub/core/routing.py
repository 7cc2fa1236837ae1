"""Which waiting ticket a desk gets when it asks for the next one.

Two questions, kept apart so both can be tested and reused by the estimator:

* ``may_serve``: may this desk take this ticket at all?  Only its services, only
  visits its kind may serve, the citizen's own choice of volunteer or staff, and
  a private room for those who asked to talk in private when one can help.
* ``rank_key``: among those it may take, who first?  The longest (effective) wait:
  waiting time plus a fixed head start for priorities.  Because every ticket's
  wait grows at the same rate, the order never changes with time; a low-priority
  ticket is overtaken by at most its rivals' head start, so nobody starves.  A checked-in
  appointment waits from its booked time (from arrival, when late): it is held until then
  (``waiting.WaitingOrder``), and its booked desk takes it while that desk is open.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from reception.config import Desk as DeskConfig
from reception.config import Site

from hub.core.model import Ticket


def head_start(site: Site, ticket: Ticket) -> float:
    """Minutes by which priorities move a ticket forward (service priority plus extra needs)."""
    minutes = site.services[ticket.service].priority_minutes
    for extra in ticket.extras:
        if extra in site.extras:
            minutes += site.extras[extra].priority_minutes
    return minutes


def rank_key(site: Site, ticket: Ticket) -> tuple:
    """Sort key, smallest first: the effective arrival time, then the real one, then the number."""
    effective = waits_from(ticket) - timedelta(minutes=head_start(site, ticket))
    return (effective, ticket.issued_at, ticket.number)


def waits_from(ticket: Ticket):
    """When the citizen's wait counts from: arrival, or for an appointment its booked time if that is later."""
    return max(ticket.issued_at, ticket.booked_at) if ticket.booked_at else ticket.issued_at


def wants_private_room(site: Site, ticket: Ticket) -> bool:
    return "private" in ticket.extras and private_rooms_matter(site)


def private_rooms_matter(site: Site) -> bool:
    """Whether a citizen's wish for a private room changes who takes them at this site."""
    extra = site.extras.get("private")
    return bool(extra and extra.prefer_private_desk)


def may_serve(site: Site, desk: DeskConfig, ticket: Ticket, open_desks: Iterable[DeskConfig]) -> bool:
    """Whether ``desk`` may take ``ticket``, given which desks are open now.  A booked desk that is open
    and may take the ticket takes it alone; one that may not (closed, or not what the citizen chose)
    leaves it to the others, so a booking never makes a ticket nobody may call."""
    open_desks = list(open_desks)
    if not _may_serve_unbooked(site, desk, ticket, open_desks):
        return False
    booked = ticket.booked_desk
    return booked is None or booked == desk.id or not any(
        d.id == booked and _may_serve_unbooked(site, d, ticket, open_desks) for d in open_desks)


def _may_serve_unbooked(site: Site, desk: DeskConfig, ticket: Ticket, open_desks: list[DeskConfig]) -> bool:
    if not _suits_choice(site, desk, ticket, open_desks):
        return False
    if wants_private_room(site, ticket) and not desk.private:
        # A private room first, but only one that could take this citizen (their choice included).
        if any(d.private and _suits_choice(site, d, ticket, open_desks) for d in open_desks):
            return False
    return True


def _suits_choice(site: Site, desk: DeskConfig, ticket: Ticket, open_desks: list[DeskConfig]) -> bool:
    """The desk serves the visit, and is of the kind the citizen chose (staff step in for volunteers
    only when no volunteer who could help is open)."""
    if not serves(site, desk, ticket.service):
        return False
    if ticket.preference == "staff":
        return desk.kind == "staff"
    if ticket.preference == "volunteer" and desk.kind != "volunteer":
        return not any(d.kind == "volunteer" and serves(site, d, ticket.service) for d in open_desks)
    return True


def serves(site: Site, desk: DeskConfig, service: str) -> bool:
    """The desk is configured for the service and its kind may serve it."""
    return service in desk.services and desk.kind in site.services[service].served_by


class Lines:
    """Who takes whom, given the desks open now, over the waiting tickets in call order (``Queue.waiting``).

    Whether a desk may take a ticket, and who goes before whom, depend only on each ticket's
    service, choice and wish for a private room: each is worked out once per such kind of ticket
    (there are few), not per ticket, and the call order is never sorted again here."""

    def __init__(self, site: Site, open_desks: Iterable[DeskConfig], all_desks: Iterable[DeskConfig]):
        self.site, self.open_desks, self.all_desks = site, list(open_desks), list(all_desks)
        self._may: dict[tuple, bool] = {}
        self._rules: dict[tuple, tuple[bool, bool]] = {}

    def kind(self, ticket: Ticket) -> tuple:
        return ticket.service, ticket.preference, wants_private_room(self.site, ticket), ticket.booked_desk

    def may(self, desk: DeskConfig, ticket: Ticket) -> bool:
        """``may_serve`` with the open desks; a closed desk is asked as if it were open too (its line as
        it will be when it opens)."""
        key = (desk.id, self.kind(ticket))
        if key not in self._may:
            open_desks = self.open_desks if desk in self.open_desks else [*self.open_desks, desk]
            self._may[key] = may_serve(self.site, desk, ticket, open_desks)
        return self._may[key]

    def line(self, desk: DeskConfig, ranked: Iterable[Ticket]) -> list[Ticket]:
        """The waiting tickets this desk may take, in the order it would take them."""
        return [t for t in ranked if self.may(desk, t)]

    def pick_next(self, desk: DeskConfig, ranked: Iterable[Ticket]) -> Ticket | None:
        """The ticket this desk should call now, or None when nobody it may serve is waiting: the first
        in call order, at a private room the first who asked for one."""
        first = None
        for t in ranked:
            if self.may(desk, t):
                if not desk.private or wants_private_room(self.site, t):
                    return t
                first = first or t
        return first

    def ahead_of(self, ticket: Ticket, ranked: list[Ticket], earlier: int) -> list[Ticket]:
        """The waiting citizens who will be called before ``ticket`` by the desks that may call it
        (of ``ranked``, the first ``earlier`` rank before it).

        "8 foran dig" must count the people in *this* citizen's line, not every ticket the whole
        office will call first: only those that a desk able to take ``ticket`` may also take, and
        that such a desk would take first (ranked earlier, or, at a private room, asking for one
        when this citizen did not).  The desks are the open ones that may take it, or, when none
        is open, as if every desk were (the line waits for them).
        """
        out = []
        for i, t in enumerate(ranked):
            always, by_rank = self.rule(ticket, t)
            if t is not ticket and (always or (by_rank and i < earlier)):
                out.append(t)
        return out

    def ahead_counts(self, ranked: list[Ticket]) -> dict[str, int]:
        """``len(ahead_of(...))`` for every waiting ticket at once, by ticket key: one pass over the
        queue in call order, counting per kind (numbered: a list, not a dict of tuples, in the loop), so a
        snapshot of a long queue costs no more than a sort."""
        private = private_rooms_matter(self.site)
        numbers: dict[tuple, int] = {}
        standing: list[Ticket] = []  # one ticket standing for each kind, by number
        kinds = []
        for t in ranked:
            kind = (t.service, t.preference, private and "private" in t.extras, t.booked_desk)  # ``kind``
            n = numbers.get(kind)
            if n is None:
                n = numbers[kind] = len(standing)
                standing.append(t)
            kinds.append(n)
        totals = [0] * len(standing)
        for n in kinds:
            totals[n] += 1
        ahead = [0] * len(standing)  # of each kind: those always ahead, then also those ranked before so far
        behind: list[list[int]] = [[] for _ in standing]  # the kinds a ticket of this kind goes before
        for mine, t in enumerate(standing):
            for other, u in enumerate(standing):
                always, by_rank = self.rule(t, u)
                if always:
                    ahead[mine] += totals[other]
                elif by_rank:
                    behind[other].append(mine)
        counts = {}
        for n, t in zip(kinds, ranked):
            counts[t.key] = ahead[n]
            for later in behind[n]:
                ahead[later] += 1
        return counts

    def rule(self, ticket: Ticket, other: Ticket) -> tuple[bool, bool]:
        """(some desk of ``ticket``'s line takes ``other`` first whatever their ranks, some does by rank)."""
        pair = (self.kind(ticket), self.kind(other))
        if pair not in self._rules:
            site, open_desks = self.site, self.open_desks
            if not any(may_serve(site, d, ticket, open_desks) for d in open_desks):
                open_desks = self.all_desks
            desks = [d for d in open_desks if may_serve(site, d, ticket, open_desks)]
            takers = [d for d in desks if may_serve(site, d, other, open_desks)]
            private = pair[0][2]
            by_room = [d for d in takers if d.private and pair[1][2] != private]
            self._rules[pair] = (bool(by_room) and not private, len(by_room) < len(takers))
        return self._rules[pair]
