"""From a typical wait to a promise that is rarely broken, learned from the site's own history.

The forward simulation says when a ticket would typically be called, and how
uncertain that is (its spread: the visits ahead vary, rivals may still come).
Real days scatter around that, and telling a citizen too short a wait is worse
than too long.  ``Calibration`` keeps recent (forecast, actual wait) pairs and
learns, for each range of typical waits, how many spreads ``z`` to add:

    promise = typical + z * (spread + 1 min)

choosing each range's ``z`` to minimise

    mean |actual - promise|  +  lam * share(actual > promise + 2 min)

with one ``lam`` for all ranges: the smallest that keeps the overall share of
broken promises at ``target`` or below.  A sure forecast (a free desk, one person
ahead) gets a small margin, an uncertain one the margin it needs, so promises are
as tight as they can be for the rate of broken promises we accept.  Each range
keeps exactly the z fitted for it, so the rate fitted is the rate promised.
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
        self.z: list[float] = []
        self.kept: deque[bool] = deque(maxlen=KEPT_WINDOW)  # recent promises: True where broken
        self._new = 0

    def learn(self, forecast: Forecast, actual: float, promised: float | None = None) -> None:
        """One ticket called: its forecast at issue, its real wait, and what it was promised then."""
        self.pairs.append((forecast, actual))
        if promised is not None:
            self.kept.append(actual > promised + UNDER_SLACK_MIN)
        self._new += 1
        if len(self.pairs) >= MIN_PAIRS and (self._new >= REFIT_EVERY or not self.z):
            self.fit()

    def promise(self, forecast: Forecast) -> float:
        return max(0.0, forecast.minutes + self._z(forecast.minutes) * forecast.scale)

    def _z(self, minutes: float) -> float:
        if not self.z:
            return PRIOR_Z
        return self.z[bisect_right(self.edges, minutes)]

    def fit(self) -> None:
        """Choose each range's z for the pairs kept (equal-count ranges of the typical wait)."""
        self._new = 0
        pairs = sorted(self.pairs, key=lambda p: p[0].minutes)
        size = max(1, len(pairs) // BINS)
        groups = [pairs[i:i + size] for i in range(0, len(pairs), size)]
        if len(groups) > 1 and len(groups[-1]) < size // 2:
            groups[-2].extend(groups.pop())
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
        self.edges = [g[0][0].minutes for g in groups[1:]]
        self.z = [z for z, _b, _n in choice]


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


def _options(group: list[tuple[Forecast, float]]) -> list[tuple[float, float, float, int]]:
    """(z, mean abs error, share broken, n) for candidate z at many quantiles of the standardised residual."""
    rows = [(f.minutes, f.scale, a) for f, a in group]
    zs = sorted((a - m) / s for m, s, a in rows)
    n = len(rows)
    out = []
    for level in LEVELS:
        z = zs[min(n - 1, int(level * n))]
        mae = broken = 0.0
        for m, s, a in rows:
            p = m + z * s
            mae += abs(a - p)
            broken += a > p + UNDER_SLACK_MIN
        out.append((z, mae / n, broken / n, n))
    return out


def _choose(options, lam: float) -> list[tuple[float, float, int]]:
    picked = []
    for opts in options:
        z, _mae, broken, n = min(opts, key=lambda o: o[1] + lam * o[2])
        picked.append((z, broken, n))
    return picked
