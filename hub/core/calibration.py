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
broken promises at ``target`` or below.  A sure forecast (a free desk, one person
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

UNDER_SLACK_MIN = 2.0  # a promise is broken when the wait is longer than this past it
TARGET_UNDER = 0.09
WINDOW = 6000
KEPT_WINDOW = 1500
REFIT_EVERY = 300
MIN_PAIRS = 200
BINS = 10
LEVELS = [i / 50 for i in range(10, 50)] + [0.99]
SPREAD_FLOOR_MIN = 1.0
PRIOR_Z = 1.3  # before there is history: a generous margin


@dataclass(frozen=True)
class Forecast:
    """The forward simulation's view of one ticket: typical minutes until called, and their spread."""

    minutes: float
    spread: float  # standard deviation, minutes

    @property
    def scale(self) -> float:
        return self.spread + SPREAD_FLOOR_MIN


class Calibration:
    def __init__(self, target: float = TARGET_UNDER):
        self.target = target
        self.pairs: deque[tuple[Forecast, float]] = deque(maxlen=WINDOW)
        self.edges: list[float] = []  # typical waits where the next range starts
        self.margins: list[tuple[float, float]] = []  # per range: (minutes, spreads) added
        self.kept: deque[bool] = deque(maxlen=KEPT_WINDOW)  # recent promises: True where broken
        self._new = 0

    def learn(self, forecast: Forecast, actual: float, promised: float | None = None) -> None:
        """One ticket called: its forecast at issue, its real wait, and what it was promised then."""
        self.pairs.append((forecast, actual))
        if promised is not None:
            self.kept.append(actual > promised + UNDER_SLACK_MIN)
        self._new += 1
        if len(self.pairs) >= MIN_PAIRS and (self._new >= REFIT_EVERY or not self.margins):
            self.fit()

    def promise(self, forecast: Forecast) -> float:
        flat, z = self._margin(forecast.minutes)
        return _promise(forecast.minutes, forecast.scale, flat, z)

    def _margin(self, minutes: float) -> tuple[float, float]:
        if not self.margins:
            return 0.0, PRIOR_Z
        return self.margins[bisect_right(self.edges, minutes)]

    def fit(self) -> None:
        """Choose each range's margin for the pairs kept (about equal-count ranges of the typical wait).

        A pair belongs to the range ``promise`` will look it up in: many forecasts are
        exactly equal (0 minutes when a desk is free), and a tie split across two
        ranges would be fitted in one and promised in the other.
        """
        self._new = 0
        pairs = sorted(self.pairs, key=lambda p: p[0].minutes)
        size = max(1, len(pairs) // BINS)
        lowest = pairs[0][0].minutes
        edges = sorted({pairs[i][0].minutes for i in range(size, len(pairs) - size // 2, size)} - {lowest})
        groups: list[list[tuple[Forecast, float]]] = [[] for _ in range(len(edges) + 1)]
        for pair in pairs:
            groups[bisect_right(edges, pair[0].minutes)].append(pair)
        options = [_options(g) for g in groups]
        lo, hi = 0.0, 4096.0
        choice = _choose(options, hi)
        for _ in range(30):  # bisection on lam: the smallest that meets the target
            mid = (lo + hi) / 2
            picked = _choose(options, mid)
            if sum(broken * n for _z, broken, n in picked) / len(pairs) <= self._aim():
                hi, choice = mid, picked
            else:
                lo = mid
        self.edges = edges
        self.margins = [margin for margin, _b, _n in choice]

    def _aim(self) -> float:
        """The target, lowered by as much as the promises actually made lately broke it.

        The margins are fitted to the past; on days that drift (busier, slower) the
        promises then break more often than fitted.  Aiming lower by that excess
        brings the real rate back to the target.
        """
        if len(self.kept) < MIN_PAIRS:
            return self.target
        excess = sum(self.kept) / len(self.kept) - self.target
        return min(self.target, max(self.target / 2, self.target - 0.5 * excess))


def _promise(minutes: float, scale: float, flat: float, z: float) -> float:
    return max(0.0, minutes + flat + z * scale)


def _options(group: list[tuple[Forecast, float]]) -> list[tuple[tuple[float, float], float, float, int]]:
    """((flat, z), mean abs error, share broken, n) for candidate margins of both forms,
    at many quantiles of the residual (in minutes, and in spreads)."""
    rows = [(f.minutes, f.scale, a) for f, a in group]
    n = len(rows)
    zs = sorted((a - m) / s for m, s, a in rows)
    flats = sorted(a - m for m, _s, a in rows)
    out = []
    for level in LEVELS:
        i = min(n - 1, int(level * n))
        for flat, z in ((0.0, zs[i]), (flats[i], 0.0)):
            mae = broken = 0.0
            for m, s, a in rows:
                p = _promise(m, s, flat, z)
                mae += abs(a - p)
                broken += a > p + UNDER_SLACK_MIN
            out.append(((flat, z), mae / n, broken / n, n))
    return out


def _choose(options, lam: float) -> list[tuple[tuple[float, float], float, int]]:
    picked = []
    for opts in options:
        margin, _mae, broken, n = min(opts, key=lambda o: o[1] + lam * o[2])
        picked.append((margin, broken, n))
    return picked
