"""From a typical wait to a promise that is rarely broken, learned from the site's own history.

The forward simulation says when a ticket would typically be called, and how
uncertain that is (its spread: the visits ahead vary, rivals may still come).
Real days scatter around that, and telling a citizen too short a wait is worse
than too long.  ``Calibration`` keeps recent (forecast, actual wait) pairs and
learns, for each range of typical waits, a margin of one of two forms:

    promise = typical + z * (spread + 1 min)     (in proportion to the uncertainty)
    promise = typical + c                        (the same minutes for every ticket)

choosing each range's form and size to minimise

    mean |actual - promise|  +  lam * share(actual > promise + 2 min)

with one ``lam`` for all ranges: the smallest that keeps the overall share of
broken promises at ``target`` or below.  Each visit reason and choice of desk kind
with enough recent pairs has ranges and margins of its own (a reason whose visits
run over, a choice that waits for the one volunteer); the others share theirs.  A sure forecast (a free desk, one person
ahead) gets a small margin, an uncertain one the margin it needs, so promises are
as tight as they can be for the rate of broken promises we accept.  Where the
simulation's spread does not tell the sure from the unsure tickets of a range
(a lunch break or a volunteer session ending matters more than the visits
ahead), the flat margin is the tighter one, and the fit picks it.  Candidates are
scored exactly as they will be promised (never below 0 minutes), and each range
keeps exactly the margin fitted for it, so the rate fitted is the rate promised.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

UNDER_SLACK_MIN = 2.0  # a promise is broken when the wait is longer than this past it
TARGET_UNDER = 0.085  # aimed at: below the 10% promised, with room for days unlike the past
WINDOW = 6000
KEPT_WINDOW = 1500
REFIT_EVERY = 300
MIN_PAIRS = 200
BINS = 10
LEVELS = [i / 20 for i in range(4, 16)] + [i / 50 for i in range(40, 50)] + [0.99]  # finer where promises are kept
SPREAD_FLOOR_MIN = 1.0
PRIOR_Z = 1.3  # before there is history: a generous margin
MIN_GROUP = 600  # recent pairs a group (reason, choice) needs for margins of its own
MIN_RANGE = 150  # pairs per range of the typical wait, at least
REST = "*"  # the groups without enough pairs of their own, together


@dataclass(frozen=True)
class Forecast:
    """The forward simulation's view of one ticket: typical minutes until called, and their spread."""

    minutes: float
    spread: float  # standard deviation, minutes

    @property
    def scale(self) -> float:
        return self.spread + SPREAD_FLOOR_MIN


class Outcome(NamedTuple):
    """One ticket called: its group, its forecast at issue and its real wait (minutes)."""

    group: str
    forecast: Forecast
    actual: float


class Margin(NamedTuple):
    """``promise = typical + flat + z * scale``: one of ``flat`` and ``z`` is 0."""

    flat: float
    z: float


class Candidate(NamedTuple):
    """A margin tried on one range of one group: its mean absolute error, share broken and pairs."""

    margin: Margin
    mae: float
    broken: float
    n: int


class Fitted(NamedTuple):
    """A group's ranges of the typical wait (``edges`` between them) and each range's margin."""

    edges: list[float]
    margins: list[Margin]


class Ranges(NamedTuple):
    edges: list[float]
    groups: list[list[Outcome]]  # the outcomes in each range


class Calibration:
    """Margins learned online from the site's own recent (forecast, actual wait) pairs.

    Each ticket belongs to a *group* (its reason and the citizen's choice of desk kind);
    a group with ``MIN_GROUP`` recent pairs gets ranges and margins of its own, the
    others share those fitted on all their pairs together.  One ``lam`` for every
    range of every group keeps the overall rate of broken promises at the target.
    """

    def __init__(self, target: float = TARGET_UNDER):
        self.target = target
        self.pairs: deque[Outcome] = deque(maxlen=WINDOW)
        self.fitted: dict[str, Fitted] = {}  # by group
        self.kept: deque[bool] = deque(maxlen=KEPT_WINDOW)  # recent promises: True where broken
        self._new = 0

    def learn(self, forecast: Forecast, actual: float, promised: float | None = None, group: str = "") -> None:
        """One ticket called: its forecast at issue, its real wait, and what it was promised then."""
        self.pairs.append(Outcome(group, forecast, actual))
        if promised is not None:
            self.kept.append(actual > promised + UNDER_SLACK_MIN)
        self._new += 1
        if len(self.pairs) >= MIN_PAIRS and (self._new >= REFIT_EVERY or not self.fitted):
            self.fit()

    def promise(self, forecast: Forecast, group: str = "") -> float:
        flat, z = self._margin(forecast.minutes, group)
        return _promise(forecast.minutes, forecast.scale, flat, z)

    def _margin(self, minutes: float, group: str) -> Margin:
        fitted = self.fitted.get(group) or self.fitted.get(REST)
        if fitted is None:
            return Margin(0.0, PRIOR_Z)
        return fitted.margins[bisect_right(fitted.edges, minutes)]

    def fit(self) -> None:
        """Choose the margins of every range of every group for the pairs kept."""
        self._new = 0
        by_group: dict[str, list[Outcome]] = {}
        for outcome in self.pairs:
            by_group.setdefault(outcome.group, []).append(outcome)
        own = {g: p for g, p in by_group.items() if g != REST and len(p) >= MIN_GROUP}
        rest = [pair for g, p in by_group.items() if g not in own for pair in p]
        counted = len(rest) >= MIN_PAIRS or not own  # too few: a fallback only, outside the rate fitted
        cells = {g: _ranges(p) for g, p in own.items()}
        cells[REST] = _ranges(rest or [pair for p in own.values() for pair in p])
        options = {g: [_options(group) for group in ranges.groups] for g, ranges in cells.items()}
        scored = [o for g, opts in options.items() if g != REST or counted for o in opts]
        total = sum(opts[0].n for opts in scored)
        lo, hi = 0.0, 4096.0
        lam = hi
        for _ in range(30):  # bisection on lam: the smallest that meets the target
            mid = (lo + hi) / 2
            if sum(c.broken * c.n for c in _choose(scored, mid)) / total <= self._aim():
                hi = lam = mid
            else:
                lo = mid
        self.fitted = {g: Fitted(cells[g].edges, [c.margin for c in _choose(opts, lam)]) for g, opts in options.items()}

    def _aim(self) -> float:
        """The target, lowered by as much as the promises actually made lately broke it.

        The margins are fitted to the past; on days that drift (busier, slower) the
        promises then break more often than fitted.  Aiming lower by that excess
        brings the real rate back to the target.
        """
        if len(self.kept) < MIN_PAIRS:
            return self.target
        excess = sum(self.kept) / len(self.kept) - self.target
        return min(self.target, max(self.target / 2, self.target - excess))


def _ranges(pairs: list[Outcome]) -> Ranges:
    """About equal-count ranges of the typical wait, and the pairs in each.

    A pair belongs to the range ``promise`` will look it up in: many forecasts are
    exactly equal (0 minutes when a desk is free), and a tie split across two
    ranges would be fitted in one and promised in the other.
    """
    pairs = sorted(pairs, key=lambda p: p.forecast.minutes)
    size = max(MIN_RANGE, len(pairs) // BINS)
    lowest = pairs[0].forecast.minutes
    edges = sorted({pairs[i].forecast.minutes for i in range(size, len(pairs) - size // 2, size)} - {lowest})
    groups: list[list[Outcome]] = [[] for _ in range(len(edges) + 1)]
    for pair in pairs:
        groups[bisect_right(edges, pair.forecast.minutes)].append(pair)
    return Ranges(edges, groups)


def _promise(minutes: float, scale: float, flat: float, z: float) -> float:
    return max(0.0, minutes + flat + z * scale)


def _options(group: list[Outcome]) -> list[Candidate]:
    """Candidate margins of both forms, at many quantiles of the residual (in minutes, and in spreads)."""
    ms = [o.forecast.minutes for o in group]
    ss = [o.forecast.scale for o in group]
    acts = [o.actual for o in group]
    n = len(ms)
    zs = sorted((a - m) / s for m, s, a in zip(ms, ss, acts))
    flats = sorted(a - m for m, a in zip(ms, acts))
    out = []
    for level in LEVELS:
        i = min(n - 1, int(level * n))
        z, flat = zs[i], flats[i]
        for margin, promised in ((Margin(0.0, z), [m + z * s for m, s in zip(ms, ss)]),
                                 (Margin(flat, 0.0), [m + flat for m in ms])):
            promised = [p if p > 0 else 0.0 for p in promised]  # as promised: never below 0 minutes
            mae = sum(abs(a - p) for a, p in zip(acts, promised))
            broken = sum(a > p + UNDER_SLACK_MIN for a, p in zip(acts, promised))
            out.append(Candidate(margin, mae / n, broken / n, n))
    return out


def _choose(options: list[list[Candidate]], lam: float) -> list[Candidate]:
    """Each range's candidate with the least ``mae + lam * broken``."""
    return [min(opts, key=lambda o: o.mae + lam * o.broken) for opts in options]
