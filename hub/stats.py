"""Statistics for the office: anonymous daily aggregates, and the figures a report shows.

Two pure steps.  ``day_aggregate`` turns one day's tickets, event log and feedback
answers into counts and whole-minute histograms.  Nothing in an aggregate points at
a citizen (no ticket numbers, no times finer than the hour, and the hour is never
combined with the visit reason), so it may leave the hub on the retained
``stats/daily`` topic, cross the bridge to the centre and outlive the purge of
ticket rows.  ``summarise`` merges any number of aggregates, of one site or many,
into the figures of a report.  Medians and p90 come from the merged histograms, so
a week's median is the median of the week's visits, not a median of daily medians.

The visit *reason* is what the citizen chose at the kiosk (a transferred ticket
keeps the reason it was issued for).  See ``docs/report.md`` for every figure.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Callable, Iterable, Mapping

from reception import schedule
from reception.config import DESK_KINDS, Site
from reception.protocol import LiveFigures

from hub import appointment_stats
from hub.core.model import EXPIRED, SERVED, Ticket
from hub.views import minutes as shown_minutes

MIN_COUNT = 3  # a median, share or mean of fewer observations is not shown: it would describe one person
ETA_TOLERANCE_MIN = 3  # the promise is kept if the call came at most this long after the minutes on the ticket
NO_REASON = "-"  # feedback given without naming a visit reason
SCORES = ("1", "2", "3", "4", "5")
STATES = ("waiting", "called", "served", "no_show", "expired")
DESK_OPENS, DESK_ENDS = "desk_open", ("desk_paused", "desk_closed")


# ---------------------------------------------------------------------------
# one day -> an aggregate


def reason_of(ticket: Ticket) -> str:
    """The reason the citizen gave at the kiosk, even after a transfer changed the service."""
    return ticket.original_service or ticket.service


def wait_minutes(ticket: Ticket) -> float | None:
    """From the ticket to the first call: the wait the citizen felt (None if never called)."""
    if ticket.first_called_at is None:
        return None
    return (ticket.first_called_at - ticket.issued_at).total_seconds() / 60


def service_minutes(ticket: Ticket) -> float | None:
    """From the last call to the end of a served visit (at the desk that finished it)."""
    if ticket.state != SERVED or ticket.called_at is None or ticket.finished_at is None:
        return None
    return (ticket.finished_at - ticket.called_at).total_seconds() / 60


def eta_met(ticket: Ticket) -> bool | None:
    """Was the wait printed on the ticket kept?  None where nothing was promised or the end is not known yet."""
    if ticket.eta_at_issue is None:
        return None
    wait = wait_minutes(ticket)
    if wait is None:
        return False if ticket.state == EXPIRED else None
    return wait <= shown_minutes(ticket.eta_at_issue) + ETA_TOLERANCE_MIN


def day_aggregate(site: Site, day: str, tickets: Iterable[Ticket], events: Iterable[Mapping],
                  feedback: Iterable[Mapping], now: datetime, appointments: Iterable[Mapping] = ()) -> dict:
    """Everything the report needs about one local day of one site, as JSON-ready counts.

    ``events`` are event-log rows of that day (``kind``, ``at``, ``ticket``, ``desk``,
    ``detail``); ``feedback`` rows carry ``score``, ``tags`` and ``service``; ``now``
    ends the desks that are still open; ``appointments`` are the day's stored bookings.
    """
    tickets = [t for t in tickets if t.day == day]
    events = sorted(events, key=lambda e: e["at"])
    first_desk = _first_call_desks(events)
    reasons: dict[str, dict] = {}
    kinds = {kind: {"served": 0, "wait": {}, "service": {}} for kind in DESK_KINDS}
    arrivals: dict[str, int] = defaultdict(int)
    for t in tickets:
        arrivals[str(schedule.local(site, t.issued_at).hour)] += 1
        _count_visit(reasons.setdefault(reason_of(t), _empty_reason()), t)
        desk = first_desk.get(t.key)
        _count_kind(kinds, t, site.desks[desk].kind if desk in site.desks else t.served_by_kind)
    return {
        "site": site.id, "site_name": site.name, "day": day, "weekday": schedule.weekday(date.fromisoformat(day)),
        "names": {sid: svc.name.get_text() for sid, svc in site.services.items()},
        "reasons": reasons, "kinds": kinds,
        "hours": _hours(site, day, arrivals, events, now),
        "transfers": _transfers(events),
        "feedback": _feedback(feedback),
        "appointments": appointment_stats.day_counts(site.appointments, appointments, tickets),
    }


def _empty_reason() -> dict:
    return {"visits": 0, **{s: 0 for s in STATES}, "by_volunteer": 0, "repeat": 0, "first": 0,
            "eta_known": 0, "eta_met": 0, "wait": {}, "service": {}}


def _bin(histogram: dict, value: float | None) -> None:
    """Count a duration in whole minutes (rounded half up), the resolution every figure has."""
    if value is not None:
        key = str(math.floor(max(value, 0.0) + 0.5))
        histogram[key] = histogram.get(key, 0) + 1


def _count_visit(r: dict, t: Ticket) -> None:
    r["visits"] += 1
    r[t.state] += 1
    if t.first_visit is not None:
        r["first" if t.first_visit else "repeat"] += 1
    if t.state == SERVED and t.served_by_kind == "volunteer":
        r["by_volunteer"] += 1
    _bin(r["wait"], wait_minutes(t))
    _bin(r["service"], service_minutes(t))
    kept = eta_met(t)
    if kept is not None:
        r["eta_known"] += 1
        r["eta_met"] += kept


def _count_kind(kinds: dict, t: Ticket, first_kind: str | None) -> None:
    """Waits count for the kind of desk that first called; service times for the one that finished."""
    if first_kind in kinds:
        _bin(kinds[first_kind]["wait"], wait_minutes(t))
    if t.state == SERVED and t.served_by_kind in kinds:
        kinds[t.served_by_kind]["served"] += 1
        _bin(kinds[t.served_by_kind]["service"], service_minutes(t))


def _first_call_desks(events: list[Mapping]) -> dict[str, str]:
    first: dict[str, str] = {}
    for e in events:
        if e["kind"] == "called" and e.get("ticket"):
            first.setdefault(e["ticket"], e["desk"])
    return first


def _transfers(events: list[Mapping]) -> dict[str, int]:
    """Hand-overs by desk kind, "volunteer>staff" and back ("any" when the target kind was left open)."""
    counts: dict[str, int] = defaultdict(int)
    for e in events:
        if e["kind"] == "transferred":
            detail = _detail(e)
            counts[f"{detail.get('from_kind')}>{detail.get('to_kind')}"] += 1
    return dict(counts)


def _detail(event: Mapping) -> dict:
    detail = event.get("detail")
    return json.loads(detail) if isinstance(detail, str) else dict(detail or {})


def _hours(site: Site, day: str, arrivals: Mapping[str, int], events: list[Mapping], now: datetime) -> dict:
    """Per local hour: arrivals, and how many desks of each kind were open on average (desk-hours)."""
    hours: dict[str, dict] = defaultdict(lambda: {"arrivals": 0, "staff_desks": 0.0, "volunteer_desks": 0.0})
    for hour, n in arrivals.items():
        hours[hour]["arrivals"] = n
    end_of_day = schedule.at_local(site, date.fromisoformat(day) + timedelta(days=1), datetime.min.time())
    for desk, start, end in _open_intervals(events, min(now, end_of_day)):
        kind = site.desks[desk].kind if desk in site.desks else None
        if kind is None:
            continue
        for hour, minutes in _split_by_local_hour(site, start, end):
            hours[str(hour)][f"{kind}_desks"] += minutes / 60
    return {h: {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
            for h, row in sorted(hours.items(), key=lambda item: int(item[0]))}


def _open_intervals(events: list[Mapping], until: datetime) -> list[tuple[str, datetime, datetime]]:
    """When each desk was open (taking calls), from its open/pause/close events."""
    since: dict[str, datetime] = {}
    intervals = []
    for e in events:
        if e["kind"] == DESK_OPENS:
            since.setdefault(e["desk"], datetime.fromisoformat(e["at"]))
        elif e["kind"] in DESK_ENDS and e["desk"] in since:
            intervals.append((e["desk"], since.pop(e["desk"]), datetime.fromisoformat(e["at"])))
    intervals.extend((desk, start, until) for desk, start in since.items() if start < until)
    return intervals


def _split_by_local_hour(site: Site, start: datetime, end: datetime) -> Iterable[tuple[int, float]]:
    while start < end:
        local = schedule.local(site, start)
        boundary = (local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).astimezone(start.tzinfo)
        stop = min(boundary, end)
        yield local.hour, (stop - start).total_seconds() / 60
        start = stop


def _feedback(rows: Iterable[Mapping]) -> dict:
    out: dict[str, dict] = {}
    for row in rows:
        f = out.setdefault(row.get("service") or NO_REASON, {"scores": {}, "tags": {}})
        score = str(row["score"])
        f["scores"][score] = f["scores"].get(score, 0) + 1
        for tag in filter(None, (row.get("tags") or "").split(",")):
            f["tags"][tag] = f["tags"].get(tag, 0) + 1
    return out


def live_figures(aggregate: Mapping) -> LiveFigures:
    """Today's figures for the desk consoles: waiting now, served so far, average wait (whole-minute bins)."""
    total = merge(aggregate["reasons"].values())
    waits = total.get("wait", {})
    n = sum(waits.values())
    return LiveFigures(total.get("waiting", 0), total.get("served", 0),
                       round(sum(int(k) * c for k, c in waits.items()) / n, 1) if n else None)


# ---------------------------------------------------------------------------
# many aggregates -> report figures


def merge(items: Iterable[Mapping]) -> dict:
    """Add up nested counts (histograms included); the one operation every breakdown uses."""
    out: dict = {}
    for item in items:
        for key, value in item.items():
            if isinstance(value, Mapping):
                out[key] = merge([out.get(key, {}), value])
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = out.get(key, 0) + value
    return out


def percentile(histogram: Mapping[str, int], p: float) -> int | None:
    """Nearest-rank percentile of a whole-minute histogram; None below ``MIN_COUNT`` observations."""
    n = sum(histogram.values())
    if n < MIN_COUNT:
        return None
    rank, seen = math.ceil(p / 100 * n), 0
    for value in sorted(int(k) for k in histogram):
        seen += histogram[str(value)]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks add up to n")


def share(part: float, whole: float) -> float | None:
    return part / whole if whole >= MIN_COUNT else None


def mean_score(scores: Mapping[str, int]) -> float | None:
    n = sum(scores.values())
    return sum(int(k) * v for k, v in scores.items()) / n if n >= MIN_COUNT else None


def time_figures(t: Mapping) -> dict:
    """Median and p90 of the waits and service times of a group."""
    wait, service = t.get("wait", {}), t.get("service", {})
    return {"wait_median": percentile(wait, 50), "wait_p90": percentile(wait, 90),
            "service_median": percentile(service, 50), "service_p90": percentile(service, 90)}


def visit_figures(t: Mapping) -> dict:
    """The figures of one group of visits (a reason, a day, a site, or all)."""
    return {
        "visits": t.get("visits", 0), "served": t.get("served", 0), "no_show": t.get("no_show", 0),
        "expired": t.get("expired", 0), "by_volunteer": t.get("by_volunteer", 0),
        "volunteer_share": share(t.get("by_volunteer", 0), t.get("served", 0)),
        "no_show_share": share(t.get("no_show", 0), t.get("visits", 0)),
        **time_figures(t),
        "repeat_share": share(t.get("repeat", 0), t.get("repeat", 0) + t.get("first", 0)),
        "repeat_answers": t.get("repeat", 0) + t.get("first", 0),
        "eta_met_share": share(t.get("eta_met", 0), t.get("eta_known", 0)),
    }


def feedback_figures(f: Mapping) -> dict:
    scores = f.get("scores", {})
    return {"answers": sum(scores.values()), "mean_score": mean_score(scores),
            "scores": {s: scores.get(s, 0) for s in SCORES}, "tags": dict(sorted(f.get("tags", {}).items()))}


def summarise(aggregates: Iterable[Mapping]) -> dict:
    """The report's figures from daily aggregates of one or more sites (one per site and day)."""
    days = sorted(aggregates, key=lambda a: (a["day"], a["site"]))
    reasons = merge(a["reasons"] for a in days)
    feedback = merge(a["feedback"] for a in days)
    everyone = merge(reasons.values())
    n_days = len(days)
    names: dict[str, str] = {}
    site_names: dict[str, str] = {}
    for a in days:  # the newest names win: a site may rename a service
        names.update(a.get("names", {}))
        site_names[a["site"]] = a.get("site_name", a["site"])
    return {
        "site_days": n_days, "names": names, "site_names": site_names,
        "overall": {**visit_figures(everyone), **_feedback_totals(feedback), **_transfer_totals(days)},
        "reasons": {r: {**visit_figures(t), **_feedback_totals({r: feedback.get(r, {})})}
                    for r, t in sorted(reasons.items())},
        "kinds": {k: {"served": t.get("served", 0), **time_figures(t)}
                  for k, t in merge(a["kinds"] for a in days).items()},
        "hours": {int(h): _hour_figures(t, n_days)
                  for h, t in sorted(merge(a["hours"] for a in days).items(), key=lambda i: int(i[0]))},
        "weekdays": _by(days, lambda a: a["weekday"]),
        "days": _by(days, lambda a: a["day"]),
        "weeks": _by(days, lambda a: iso_week(a["day"])),
        "sites": _by(days, lambda a: a["site"]),
        "transfers": dict(sorted(merge(a["transfers"] for a in days).items())),
        "feedback": {r: feedback_figures(f) for r, f in sorted(feedback.items())},
        "appointments": appointment_figures(merge(a.get("appointments", {}) for a in days)),
    }


def appointment_figures(merged: Mapping) -> dict:
    """Booked visits kept, late and missed, and the minutes waited past the booked time (``hub.appointment_stats``)."""
    past = merged.get("past_time", {})
    return {"kept": merged.get("kept", 0), "late": merged.get("late", 0), "missed": merged.get("missed", 0),
            "past_time_median": percentile(past, 50), "past_time_p90": percentile(past, 90)}


def _hour_figures(t: Mapping, n_days: int) -> dict:
    """Totals of one hour of the day, and the same per site-day (arrivals, average desks open)."""
    return {"arrivals": t.get("arrivals", 0), "arrivals_per_day": t.get("arrivals", 0) / n_days,
            "staff_desks": t.get("staff_desks", 0) / n_days, "volunteer_desks": t.get("volunteer_desks", 0) / n_days}


def iso_week(day: str) -> str:
    """``2026-W48``: the week a day belongs to, as Danish calendars count weeks."""
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _by(days: list[Mapping], key: Callable[[Mapping], str]) -> dict:
    """Visit figures grouped by weekday, day, week or site, with the number of site-days in each group."""
    groups: dict[str, list[Mapping]] = defaultdict(list)
    for a in days:
        groups[key(a)].append(a)
    out = {}
    for name, members in groups.items():
        fig = visit_figures(merge(merge(a["reasons"].values()) for a in members))
        out[name] = {"site_days": len(members), "visits_per_day": fig["visits"] / len(members), **fig}
    return out


def _feedback_totals(feedback: Mapping[str, Mapping]) -> dict:
    scores = merge(f.get("scores", {}) for f in feedback.values())
    return {"feedback_answers": sum(scores.values()), "feedback_mean": mean_score(scores)}


def _transfer_totals(days: list[Mapping]) -> dict:
    moves = merge(a["transfers"] for a in days)
    return {"transfers_to_staff": moves.get("volunteer>staff", 0),
            "transfers_to_volunteer": moves.get("staff>volunteer", 0)}
