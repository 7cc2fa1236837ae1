"""Booked visits in the report: kept, late, missed, and how long booked citizens waited past their time.

Pure, like ``hub.stats``, which puts one day's counts in the aggregate's ``appointments`` section
(counts and a whole-minute histogram: nothing points at a citizen) and merges the days into the
report's figures (``appointment_figures``).

* kept: checked in no more than ``appointments.late_after_minutes`` after the booked time;
* late: checked in later than that (the citizen got a walk-in ticket);
* missed: nobody checked in by the end of the slot;
* past time: from the booked time (or the arrival, for one who came late but within the limit) to
  the first call, for kept bookings that were called.
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import Iterable, Mapping

from reception.config import Appointments

from hub.core.checkin import is_late
from hub.core.model import Ticket


def day_counts(rules: Appointments, rows: Iterable[Mapping], tickets: Iterable[Ticket]) -> dict:
    """The ``appointments`` section of one day's aggregate, from the day's stored bookings and tickets."""
    called = {t.number: t.first_called_at for t in tickets}
    out = {"kept": 0, "late": 0, "missed": 0, "past_time": {}}
    for row in rows:
        if row["missed"] and not row["arrived_at"]:
            out["missed"] += 1
            continue
        if not row["arrived_at"]:
            continue  # still to come
        at, arrived = datetime.fromisoformat(row["at"]), datetime.fromisoformat(row["arrived_at"])
        if is_late(rules, at, arrived):
            out["late"] += 1
            continue
        out["kept"] += 1
        first_call = called.get(row["ticket"])
        if first_call is not None:
            past = max(0.0, (first_call - max(at, arrived)).total_seconds() / 60)
            key = str(math.floor(past + 0.5))
            out["past_time"][key] = out["past_time"].get(key, 0) + 1
    return out

