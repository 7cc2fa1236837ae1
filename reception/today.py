"""Today's setup: the site file with the office's changes in force, checked by the site file's own rules.

The site file stays the base.  The hub, the kiosks and the boards each hold it and apply the
changes the hub publishes (``reception.protocol.office.OfficeSetup``) with ``apply``: desks'
services and the board's texts are written into the file's own document and the whole of it is
parsed again, so a change is valid exactly when a site file saying so would be; dated sessions
and desks closed for the day, which a site file cannot say, travel in ``Site.office``.
"""
from __future__ import annotations

import copy
import dataclasses
from typing import Any

from reception.config import DatedSession, OfficeChanges, Site, parse
from reception.config.schema import Reader
from reception.errors import ConfigError
from reception.protocol.office import OfficeSetup, SessionRef
from reception import schedule

SOURCE = "today's setup"  # how a refused change's reason begins, instead of the site file's name


def apply(base: Site, setup: OfficeSetup) -> Site:
    """``base`` (as read from the site file) with ``setup`` applied; ConfigError, one line, when invalid."""
    if not setup.closed_desks and not setup.desk_services and not setup.added_sessions \
            and not setup.cancelled_sessions and setup.messages is None:
        return base
    site = _parsed(base, _document(base, setup))
    reader = Reader({}, SOURCE)
    reader.languages = base.languages
    office = OfficeChanges(closed_desks=frozenset(_known_desk(base, d) for d in setup.closed_desks),
                           added_sessions=tuple(_added(reader, i, s) for i, s in enumerate(setup.added_sessions)),
                           cancelled_sessions=frozenset(_planned(base, reader, s) for s in setup.cancelled_sessions))
    return dataclasses.replace(site, office=office, source=base.source, document=base.document)


def _document(base: Site, setup: OfficeSetup) -> dict[str, Any]:
    """The site file's document with the desks' services and the board's texts of ``setup``."""
    if base.document is None:
        raise ConfigError(f"{SOURCE}: the site was not read from a site file")
    doc = copy.deepcopy(dict(base.document))
    desks = doc.get("desks", [])
    for desk_id, services in setup.desk_services.items():
        _known_desk(base, desk_id)
        desk = next(d for d in desks if d.get("id") == desk_id)
        desk["services"] = list(services)
    if setup.messages is not None:
        doc["board"] = {**doc.get("board", {}), "messages": [dict(m) for m in setup.messages]}
    return doc


def _parsed(base: Site, doc: dict[str, Any]) -> Site:
    """The document parsed by the site file's rules; a problem names the key, as for the file."""
    try:
        return parse(doc, source=base.source)
    except ConfigError as exc:
        prefix = f"{base.source}: "
        text = str(exc)
        raise ConfigError(f"{SOURCE}: {text[len(prefix):] if text.startswith(prefix) else text}") from None


def _known_desk(base: Site, desk_id: str) -> str:
    if desk_id not in base.desks:
        raise ConfigError(f"{SOURCE}: desk {desk_id!r} is not in the site file")
    return desk_id


def _added(reader: Reader, i: int, session) -> DatedSession:
    where = f"added_sessions[{i}]"
    return DatedSession(session.date, reader.time_range(session.time, f"{where}.time"),
                        reader.local_text(dict(session.place), f"{where}.place"), session.at_desks)


def _planned(base: Site, reader: Reader, ref: SessionRef):
    """A session of the site file on that date at that time, as (date, time range)."""
    when = reader.time_range(ref.time, "cancelled_sessions[].time")
    if not any(schedule.weekday(ref.date) in s.days and s.time == when for s in base.volunteer_sessions):
        raise ConfigError(f"{SOURCE}: no volunteer session on {ref.date} at {ref.time} in the site file")
    return ref.date, when
