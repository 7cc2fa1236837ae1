"""The office's changes to today's setup, one command at a time: what the setup becomes.

Pure: the site, the setup in force and ``now`` in, the new setup out, or ``ConfigError`` with a
one-line reason.  Whether the new setup makes a valid site is ``reception.today.apply``'s
question, asked by the hub before it keeps any change.
"""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Callable

from reception import schedule
from reception.config import Site
from reception.config.schema import Reader
from reception.errors import ConfigError
from reception.protocol.office import AddedSession, OfficeSetup, SessionRef, SetupCommand
from reception.today import SOURCE

WEEK_DAYS = 7  # sessions may be added or cancelled from today to six days ahead
DESK_ACTIONS = ("close_desk", "open_desk", "set_services", "reset_services")


def current(setup: OfficeSetup, today: date) -> OfficeSetup:
    """``setup`` on ``today``: a past day's desk changes and past sessions are gone."""
    same_day = setup.day == today
    return dataclasses.replace(
        setup, day=today,
        closed_desks=setup.closed_desks if same_day else frozenset(),
        desk_services=setup.desk_services if same_day else {},
        added_sessions=tuple(s for s in setup.added_sessions if s.date >= today),
        cancelled_sessions=frozenset(s for s in setup.cancelled_sessions if s.date >= today))


def changed(setup: OfficeSetup, command: SetupCommand, site: Site, now: datetime) -> OfficeSetup:
    """The setup after ``command`` (``site``: the site file as read); ConfigError when it cannot be done."""
    today = schedule.local(site, now).date()
    setup = current(setup, today)
    if command.action in DESK_ACTIONS and command.desk not in site.desks:
        raise ConfigError(f"{SOURCE}: desk {command.desk!r} is not in the site file")
    new = CHANGES[command.action](setup, command, site, now)
    return dataclasses.replace(new, version=setup.version + 1, at=now, day=today)


def _close(setup, command, _site, _now) -> OfficeSetup:
    return dataclasses.replace(setup, closed_desks=setup.closed_desks | {command.desk})


def _open(setup, command, _site, _now) -> OfficeSetup:
    return dataclasses.replace(setup, closed_desks=setup.closed_desks - {command.desk})


def _set_services(setup, command, _site, _now) -> OfficeSetup:
    return dataclasses.replace(setup, desk_services={**setup.desk_services, command.desk: command.services})


def _reset_services(setup, command, _site, _now) -> OfficeSetup:
    return dataclasses.replace(setup, desk_services={d: s for d, s in setup.desk_services.items() if d != command.desk})


def _add_session(setup, command, site, now) -> OfficeSetup:
    session: AddedSession = command.session
    _this_week(session.ref, site, now)
    if _end(site, session.ref) <= now:
        raise ConfigError(f"{SOURCE}: the session on {session.date} at {session.time} would be over already")
    if session.ref in _planned(setup, site, session.date):
        raise ConfigError(f"{SOURCE}: there is a volunteer session on {session.date} at {session.time} already")
    return dataclasses.replace(setup, added_sessions=(*setup.added_sessions, session))


def _cancel_session(setup, command, site, now) -> OfficeSetup:
    ref: SessionRef = command.session
    _this_week(ref, site, now)
    if ref not in _planned(setup, site, ref.date):
        raise ConfigError(f"{SOURCE}: no volunteer session on {ref.date} at {ref.time} to cancel")
    if any(s.ref == ref for s in setup.added_sessions):  # one the office added: it is simply gone again
        return dataclasses.replace(setup, added_sessions=tuple(s for s in setup.added_sessions if s.ref != ref))
    return dataclasses.replace(setup, cancelled_sessions=setup.cancelled_sessions | {ref})


def _restore_session(setup, command, site, now) -> OfficeSetup:
    ref: SessionRef = command.session
    if ref not in setup.cancelled_sessions:
        raise ConfigError(f"{SOURCE}: the session on {ref.date} at {ref.time} is not cancelled")
    return dataclasses.replace(setup, cancelled_sessions=setup.cancelled_sessions - {ref})


def _set_messages(setup, command, _site, _now) -> OfficeSetup:
    return dataclasses.replace(setup, messages=command.messages)


def _reset_messages(setup, _command, _site, _now) -> OfficeSetup:
    return dataclasses.replace(setup, messages=None)


CHANGES: dict[str, Callable[..., OfficeSetup]] = {
    "close_desk": _close, "open_desk": _open, "set_services": _set_services, "reset_services": _reset_services,
    "add_session": _add_session, "cancel_session": _cancel_session, "restore_session": _restore_session,
    "set_messages": _set_messages, "reset_messages": _reset_messages,
}


def _this_week(ref: SessionRef, site: Site, now: datetime) -> None:
    today = schedule.local(site, now).date()
    if not today <= ref.date < today + timedelta(days=WEEK_DAYS):
        raise ConfigError(f"{SOURCE}: {ref.date} is not within the coming {WEEK_DAYS} days")


def _end(site: Site, ref: SessionRef) -> datetime:
    """When the session ends; the time is checked as the site file's are."""
    return schedule.at_local(site, ref.date, Reader({}, SOURCE).time_range(ref.time, "time").end)


def _planned(setup: OfficeSetup, site: Site, day: date) -> set[SessionRef]:
    """The sessions on ``day`` not cancelled: the site file's weekly ones and those added."""
    weekly = {SessionRef(day, str(s.time)) for s in site.volunteer_sessions if schedule.weekday(day) in s.days}
    return (weekly - setup.cancelled_sessions) | {s.ref for s in setup.added_sessions if s.date == day}
