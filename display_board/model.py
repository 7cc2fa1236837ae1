"""The board's state: what the waiting room sees, built from the hub's messages and nothing else.

Pure (no Kivy, no MQTT): the adapters feed it the parsed retained ``board`` snapshot,
live ``calls`` events and the hub's availability, and the screens draw ``view()``.
A ``ShownCall`` carries a ticket number and a desk's display name only: the board
has no field in which a reason, a name or an extra need could travel.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from reception.config import Service, Site
from reception.protocol import BoardSnapshot, CallEvent, ServiceWait


@dataclass(frozen=True)
class ShownCall:
    number: str
    desk_name: Mapping[str, str]  # by language, from the call event (the site file as fallback)
    seq: int
    at: datetime
    recall: bool = False
    lang: str | None = None  # the ticket's language, for the announcement; None when the hub did not say

    def desk(self, lang: str) -> str:
        return self.desk_name.get(lang) or self.desk_name.get("da") or next(iter(self.desk_name.values()))


@dataclass(frozen=True)
class WaitRow:
    """A visit reason or a group of them: ticket letters, name, how many wait, expected wait per desk kind."""

    letter: str  # "B C D" for a group
    name: Mapping[str, str]
    waiting: int
    eta_min: Mapping[str, int | None]  # only kinds that may serve the reason


@dataclass(frozen=True)
class BoardView:
    latest: ShownCall | None
    previous: tuple[ShownCall, ...]
    waits: tuple[WaitRow, ...]
    volunteers_until: str | None
    offline: bool
    languages: tuple[str, ...] | None = None  # of the waiting tickets (None: the hub did not say)


class BoardModel:
    """Merges the snapshot and live events; the newest call of each number is shown once, on top."""

    def __init__(self, site: Site):
        self.site = site
        self._calls: list[ShownCall] = []  # newest first, one per number
        self._waits: dict[str, ServiceWait] = {}
        self._volunteers_until: str | None = None
        self._languages: tuple[str, ...] | None = None
        self._hub_status: str | None = None  # None: not heard yet
        self._connected: bool | None = None  # None: still starting

    # -- inputs ------------------------------------------------------------

    def apply_snapshot(self, snap: BoardSnapshot) -> None:
        """The snapshot is authoritative, except for live calls made after it was taken."""
        live = [c for c in self._calls if c.at > snap.at]
        self._calls = []
        for event in reversed(snap.calls):
            self._push(self._shown(event))
        for call in reversed(live):
            self._push(call)
        self._waits = {w.service: w for w in snap.services}
        self._volunteers_until = snap.volunteers_until
        self._languages = snap.languages

    def apply_call(self, event: CallEvent) -> ShownCall | None:
        """Put a live call or recall on top and return it; None if already shown (a duplicate delivery)."""
        if any(c.seq == event.seq and c.number == event.number for c in self._calls):
            return None
        call = self._shown(event)
        self._push(call)
        return call

    def set_hub_status(self, status: str) -> None:
        self._hub_status = status

    def set_connected(self, connected: bool) -> None:
        self._connected = connected

    # -- output ------------------------------------------------------------

    @property
    def offline(self) -> bool:
        """The calm banner: the broker is lost, or the hub said it is not online."""
        return self._connected is False or self._hub_status not in (None, "online")

    def view(self) -> BoardView:
        shown = self._calls[: self.site.board.recent_calls + 1]
        return BoardView(
            latest=shown[0] if shown else None,
            previous=tuple(shown[1:]),
            waits=self._wait_rows(),
            volunteers_until=self._volunteers_until,
            offline=self.offline,
            languages=self._languages,
        )

    # -- helpers -----------------------------------------------------------

    def _push(self, call: ShownCall) -> None:
        self._calls = [call] + [c for c in self._calls if c.number != call.number]
        del self._calls[self.site.board.recent_calls + 1:]

    def _shown(self, event: CallEvent) -> ShownCall:
        desk = self.site.desks.get(event.desk)
        names = {**(desk.name if desk else {}), **event.desk_name}
        return ShownCall(event.number, names, event.seq, event.at, recall=event.type == "recall", lang=event.lang)

    def _wait_rows(self) -> tuple[WaitRow, ...]:
        """One row per configured group, then one per ungrouped reason: a fixed layout, rows never jump."""
        grouped = {sid for g in self.site.board.groups for sid in g.services}
        rows = [self._row(g.name, [self.site.services[sid] for sid in g.services]) for g in self.site.board.groups]
        for service in sorted(self.site.services.values(), key=lambda s: s.letter):
            if service.id not in grouped:
                rows.append(self._row(service.name, [service]))
        return tuple(rows)

    def _row(self, name: Mapping[str, str], services: list[Service]) -> WaitRow:
        """Counts add up; a group's wait per kind is its longest (never promise too short a wait)."""
        reported = [(s, self._waits[s.id]) for s in services if s.id in self._waits]
        eta: dict[str, int | None] = {}
        for kind in ("volunteer", "staff"):
            values = [w.eta_min[kind] for s, w in reported if kind in s.served_by and kind in w.eta_min]
            if values:
                known = [v for v in values if v is not None]
                eta[kind] = max(known) if known else None
        return WaitRow(
            letter=" ".join(s.letter for s in services),
            name=dict(name),
            waiting=sum(w.waiting for _s, w in reported),
            eta_min=eta,
        )
