"""A simulated day, described in a TOML file (the format is documented in docs/scenarios.md).

``load`` reads and validates a scenario once, into frozen dataclasses; every error
names the file, the dotted key and what is wrong (``ConfigError``), like the site
configuration.  The scenario names a site file and may override parts of it
(``[site_overrides]``: tables merge, arrays replace), so the simulated hub runs the
very configuration a real site would, validated by ``reception.config``.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from reception import config
from reception.config import WEEKDAYS, Site
from reception.errors import ConfigError

from hub.simulation.reader import Reader

DEFAULT_SITE = Path(__file__).resolve().parents[2] / "config" / "site.example.toml"
PREFERENCES = ("any", "staff", "volunteer")
# Every key a scenario may use, per section (docs/scenarios.md documents each; a test checks it).
KEYS = {
    "scenario": {"name", "description", "site", "weekday", "weekdays", "day_to_day_spread", "noshow_after_min"},
    "site_overrides": set(),
    "arrivals": {"per_hour", "weekday_factor"},
    "reasons": {"share", "median_min", "spread", "no_show", "preference", "transfer_to_staff", "transfer_service",
                "mixture"},
    "extras": set(),
    "abandonment": {"share", "median_min", "spread"},
    "desks": {"shifts", "speed", "absent", "break_jitter_min", "stalls"},
    "groups": {"at", "size", "reason", "reasons", "probability", "within_min", "extras"},
}
STALL_KEYS = {"per_day", "median_min", "spread"}
MIXTURE_KEYS = {"share", "median_min", "spread"}
TOP = set(KEYS)


@dataclass(frozen=True)
class Reason:
    """How often citizens come for one service and how long their visits take."""

    service: str
    share: float
    median_min: float
    spread: float  # sigma of the lognormal visit length
    no_show: float  # share who are gone when called (without regard to how long they waited)
    preference: Mapping[str, float]  # the citizen's choice where both kinds may help
    transfer_to_staff: float  # share of volunteer visits handed on to staff
    transfer_service: str
    mixture: tuple[tuple[float, float, float], ...] = ()  # other kinds of visit: (share, median, spread)


@dataclass(frozen=True)
class Patience:
    """Citizens who leave before being called: their patience is lognormal."""

    share: float  # of citizens who would ever leave
    median_min: float
    spread: float


@dataclass(frozen=True)
class DeskPlan:
    shifts: tuple[tuple[float, float], ...]  # minutes after local midnight
    speed: float  # 1.25 = visits take 1/1.25 of the drawn length
    absent: float = 0.0  # share of days the desk does not work at all
    break_jitter_min: float = 0.0  # breaks start and end up to this much earlier or later, day by day
    stalls: tuple[float, float, float] | None = None  # open but not calling: (per day, median min, spread)


@dataclass(frozen=True)
class Group:
    """Several citizens arriving together (a bus from a care home, a class)."""

    at: float
    size: int
    reasons: Mapping[str, float]  # each member's reason, drawn by these weights
    probability: float  # share of days it happens
    within_min: float
    extras: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    source: str
    site: Site
    weekday: str  # the weekday of this view (``on``); the first of ``weekdays``
    open_min: float
    close_min: float
    arrivals: tuple[tuple[float, float], ...]  # (from minute, citizens per hour), sorted
    day_spread: float
    reasons: Mapping[str, Reason]
    extras: Mapping[str, float]
    patience: Patience | None
    desks: Mapping[str, DeskPlan]
    groups: tuple[Group, ...]
    noshow_after_min: float  # how long a desk waits for a called citizen before marking no-show
    weekdays: tuple[str, ...] = ()  # the days simulated in turn
    weekday_factor: Mapping[str, float] = field(default_factory=dict)  # arrivals on that weekday, times
    by_weekday: Mapping[str, tuple[float, float, Mapping[str, DeskPlan]]] = field(default_factory=dict)

    def on(self, weekday: str) -> "Scenario":
        """The scenario as it plays on one of its weekdays: that day's opening hours and desk plans."""
        open_min, close_min, desks = self.by_weekday[weekday]
        return replace(self, weekday=weekday, open_min=open_min, close_min=close_min, desks=desks)


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise ConfigError naming the file, the key and the problem."""
    path = Path(path)
    return parse(config.read_toml(path), source=str(path), base=path.parent)


def parse(raw: Mapping[str, Any], source: str = "<memory>", base: Path | None = None) -> Scenario:
    r = Reader(raw, source)
    for key in raw:
        if key not in TOP:
            r.fail(key, f"unknown section (known: {', '.join(sorted(TOP))})")
    head = r.table(raw, "scenario")
    r.known(head, "scenario", KEYS["scenario"])
    site = _site(r, head, raw.get("site_overrides", {}), base)
    weekdays = _weekdays(r, head, site)
    reasons = _reasons(r, raw, site)
    by_weekday = {}
    for day in weekdays:
        hours = site.hours[day]
        open_min, close_min = _minutes(hours.start), _minutes(hours.end)
        by_weekday[day] = (open_min, close_min, _desks(r, raw, site, day, open_min, close_min))
    first = by_weekday[weekdays[0]]
    return Scenario(
        name=r.str(head, "scenario", "name", Path(source).stem),
        description=r.str(head, "scenario", "description", ""),
        source=source, site=site, weekday=weekdays[0], open_min=first[0], close_min=first[1],
        arrivals=_arrivals(r, raw),
        day_spread=r.number(head, "scenario", "day_to_day_spread", 0.1, maximum=2),
        reasons=reasons,
        extras=_extras(r, raw, site),
        patience=_patience(r, raw),
        desks=first[2],
        groups=_groups(r, raw, reasons, site),
        noshow_after_min=r.number(head, "scenario", "noshow_after_min", 2.0, maximum=30),
        weekdays=weekdays, weekday_factor=_weekday_factor(r, raw, weekdays), by_weekday=by_weekday,
    )


def _weekdays(r: "Reader", head, site: Site) -> tuple[str, ...]:
    """``weekdays = [...]`` (played in turn) or one ``weekday``; the site must be open on each."""
    if "weekdays" in head and "weekday" in head:
        r.fail("scenario.weekdays", "give either weekday or weekdays, not both")
    if "weekdays" in head:
        days = head["weekdays"]
        if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days) or len(set(days)) < len(days):
            r.fail("scenario.weekdays", f"must be a list of different days out of {', '.join(WEEKDAYS)}")
        days = tuple(sorted(days, key=WEEKDAYS.index))
    else:
        days = (r.choice(head, "scenario", "weekday", WEEKDAYS, "tue"),)
    for day in days:
        if site.hours.get(day) is None:
            r.fail("scenario.weekdays" if "weekdays" in head else "scenario.weekday",
                   f"the site is closed on {day!r} (see its [hours])")
    return days


# ---------------------------------------------------------------------------


def _minutes(t) -> float:
    return t.hour * 60 + t.minute


def _merge(base: dict, over: Mapping) -> dict:
    """Tables merge key by key; an empty table clears; anything else (arrays included) replaces."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        merge = isinstance(value, dict) and value and isinstance(out.get(key), dict)
        out[key] = _merge(out[key], value) if merge else value
    return out


def _site(r: Reader, head, overrides, base: Path | None) -> Site:
    if not isinstance(overrides, dict):
        r.fail("site_overrides", "must be a table")
    name = head.get("site")
    path = DEFAULT_SITE if name is None else (base or Path.cwd()) / r.str(head, "scenario", "site")
    try:
        raw_site = config.read_toml(path)
    except ConfigError as exc:
        r.fail("scenario.site", str(exc))
    try:
        return config.parse(_merge(raw_site, overrides), source=f"{path} + {r.source} [site_overrides]")
    except ConfigError as exc:
        r.fail("site_overrides" if overrides else "scenario.site", str(exc))


def _arrivals(r: Reader, raw) -> tuple[tuple[float, float], ...]:
    t = r.table(raw, "arrivals")
    r.known(t, "arrivals", KEYS["arrivals"])
    profile = r.table(t, "per_hour", "arrivals")
    if not profile:
        r.fail("arrivals.per_hour", "needs at least one \"HH:MM\" = citizens per hour")
    points = sorted((r.clock(k, f"arrivals.per_hour.{k}"), r.number(profile, "arrivals.per_hour", k, maximum=1000))
                    for k in profile)
    return tuple(points)


def _weekday_factor(r: Reader, raw, weekdays: tuple[str, ...]) -> dict[str, float]:
    factors = r.table(r.table(raw, "arrivals"), "weekday_factor", "arrivals", required=False)
    for day in factors:
        if day not in weekdays:
            r.fail(f"arrivals.weekday_factor.{day}", f"must be one of the scenario's weekdays ({', '.join(weekdays)})")
    return {day: r.number(factors, "arrivals.weekday_factor", day, maximum=20) for day in factors}


def _reasons(r: Reader, raw, site: Site) -> dict[str, Reason]:
    t = r.table(raw, "reasons")
    if not t:
        r.fail("reasons", "needs at least one visit reason")
    reasons = {}
    for sid, spec in t.items():
        where = f"reasons.{sid}"
        if sid not in site.services:
            r.fail(where, f"no such service in the site file (known: {', '.join(site.services)})")
        if not isinstance(spec, dict):
            r.fail(where, "must be a table")
        r.known(spec, where, KEYS["reasons"])
        svc = site.services[sid]
        preference = spec.get("preference", {"any": 1.0})
        if not isinstance(preference, dict) or not preference:
            r.fail(f"{where}.preference", "must be a table like { volunteer = 0.6, staff = 0.2, any = 0.2 }")
        for p in preference:
            if p not in PREFERENCES:
                r.fail(f"{where}.preference.{p}", f"must be one of {', '.join(PREFERENCES)}")
            r.number(preference, f"{where}.preference", p)
        transfer_service = spec.get("transfer_service", sid)
        if transfer_service not in site.services or "staff" not in site.services[transfer_service].served_by:
            r.fail(f"{where}.transfer_service", f"must be a service staff may serve, not {transfer_service!r}")
        reasons[sid] = Reason(
            service=sid,
            share=r.number(spec, where, "share"),
            median_min=r.number(spec, where, "median_min", svc.mean_service_minutes, minimum=0.1, maximum=480),
            spread=r.number(spec, where, "spread", 0.5, maximum=3),
            no_show=r.number(spec, where, "no_show", 0.03, maximum=1),
            preference={p: float(v) for p, v in preference.items()},
            transfer_to_staff=r.number(spec, where, "transfer_to_staff", 0.0, maximum=1),
            transfer_service=transfer_service,
            mixture=_mixture(r, spec.get("mixture", []), f"{where}.mixture"),
        )
    if sum(x.share for x in reasons.values()) <= 0:
        r.fail("reasons", "the shares add up to zero")
    return reasons


def _mixture(r: Reader, items, where: str) -> tuple[tuple[float, float, float], ...]:
    """Other kinds of visit of this reason: ``[{ share = 0.1, median_min = 45, spread = 0.3 }]``."""
    if not isinstance(items, list) or not all(isinstance(m, dict) for m in items):
        r.fail(where, "must be a list of tables like [{ share = 0.1, median_min = 45 }]")
    out = []
    for i, m in enumerate(items):
        r.known(m, f"{where}[{i}]", MIXTURE_KEYS)
        out.append((r.number(m, f"{where}[{i}]", "share", maximum=1),
                    r.number(m, f"{where}[{i}]", "median_min", minimum=0.1, maximum=480),
                    r.number(m, f"{where}[{i}]", "spread", 0.5, maximum=3)))
    if sum(m[0] for m in out) > 1:
        r.fail(where, "the shares add up to more than 1")
    return tuple(out)


def _extras(r: Reader, raw, site: Site) -> dict[str, float]:
    t = r.table(raw, "extras", required=False)
    for key in t:
        if key not in site.extras:
            r.fail(f"extras.{key}", f"no such extra in the site file (known: {', '.join(site.extras)})")
    return {key: r.number(t, "extras", key, maximum=1) for key in t}


def _patience(r: Reader, raw) -> Patience | None:
    t = r.table(raw, "abandonment", required=False)
    if not t:
        return None
    r.known(t, "abandonment", KEYS["abandonment"])
    return Patience(share=r.number(t, "abandonment", "share", 1.0, maximum=1),
                    median_min=r.number(t, "abandonment", "median_min", minimum=0.5),
                    spread=r.number(t, "abandonment", "spread", 0.5, maximum=3))


def _desks(r: Reader, raw, site: Site, weekday: str, open_min: float, close_min: float) -> dict[str, DeskPlan]:
    """Each desk's working hours that day: staff desks the opening hours, volunteer desks their sessions."""
    t = r.table(raw, "desks", required=False)
    for did in t:
        if did not in site.desks:
            r.fail(f"desks.{did}", f"no such desk in the site file (known: {', '.join(site.desks)})")
    sessions = tuple((_minutes(s.time.start), _minutes(s.time.end)) for s in site.volunteer_sessions
                     if s.at_desks and weekday in s.days)
    plans = {}
    for did, desk in site.desks.items():
        spec = t.get(did, {})
        where = f"desks.{did}"
        if not isinstance(spec, dict):
            r.fail(where, "must be a table")
        r.known(spec, where, KEYS["desks"])
        default = ((open_min, close_min),) if desk.kind == "staff" else sessions
        shifts = spec.get("shifts")
        if shifts is None:
            shifts = default
        elif not isinstance(shifts, list):
            r.fail(f"{where}.shifts", "must be a list like [\"09:00-11:30\", \"12:00-15:00\"]")
        else:
            shifts = tuple(r.span(s, f"{where}.shifts[{i}]") for i, s in enumerate(shifts))
        for i in range(1, len(shifts)):
            if shifts[i][0] < shifts[i - 1][1]:
                r.fail(f"{where}.shifts[{i}]", "overlaps or comes before the previous shift")
        plans[did] = DeskPlan(tuple(shifts), r.number(spec, where, "speed", 1.0, minimum=0.05, maximum=20),
                              absent=r.number(spec, where, "absent", 0.0, maximum=1),
                              break_jitter_min=r.number(spec, where, "break_jitter_min", 0.0, maximum=120),
                              stalls=_stalls(r, spec, where))
    return plans


def _stalls(r: Reader, spec, where: str) -> tuple[float, float, float] | None:
    """``stalls = { per_day = 2, median_min = 10 }``: spells when the desk stays open but calls nobody."""
    t = r.table(spec, "stalls", where, required=False)
    if not t:
        return None
    r.known(t, f"{where}.stalls", STALL_KEYS)
    return (r.number(t, f"{where}.stalls", "per_day", maximum=50),
            r.number(t, f"{where}.stalls", "median_min", minimum=0.5, maximum=240),
            r.number(t, f"{where}.stalls", "spread", 0.5, maximum=3))


def _groups(r: Reader, raw, reasons: Mapping[str, Reason], site: Site) -> tuple[Group, ...]:
    items = raw.get("groups", [])
    if not isinstance(items, list):
        r.fail("groups", "must be an array of tables ([[groups]])")
    groups = []
    for i, g in enumerate(items):
        where = f"groups[{i}]"
        if not isinstance(g, dict):
            r.fail(where, "must be a table")
        r.known(g, where, KEYS["groups"])
        if ("reason" in g) == ("reasons" in g):
            r.fail(where, "needs either reason (one) or reasons (a table of weights)")
        mix = g["reasons"] if "reasons" in g else {r.str(g, where, "reason"): 1.0}
        if not isinstance(mix, dict) or not mix:
            r.fail(f"{where}.reasons", "must be a table like { passport = 0.5, mitid_learn = 0.5 }")
        for reason in mix:
            if reason not in reasons:
                key = f"{where}.reasons.{reason}" if "reasons" in g else f"{where}.reason"
                r.fail(key, f"must be one of the scenario's [reasons], not {reason!r}")
            r.number(mix, f"{where}.reasons", reason)
        extras = g.get("extras", [])
        if not isinstance(extras, list) or any(e not in site.extras for e in extras):
            r.fail(f"{where}.extras", f"must be a list of {', '.join(site.extras)}")
        size = r.number(g, where, "size", minimum=1, maximum=200)
        if size != int(size):
            r.fail(f"{where}.size", "must be a whole number")
        groups.append(Group(at=r.clock(g.get("at"), f"{where}.at"), size=int(size),
                            reasons={k: float(v) for k, v in mix.items()},
                            probability=r.number(g, where, "probability", 1.0, maximum=1),
                            within_min=r.number(g, where, "within_min", 5.0, maximum=120),
                            extras=tuple(extras)))
    return tuple(groups)
