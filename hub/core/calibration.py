"""From a typical wait to a promise that is rarely broken, learned from the site's own history.

The forward simulation says when a ticket would be called if every visit took its
typical time.  Real days scatter around that, and telling a citizen too short a
wait is worse than too long.  ``Calibration`` keeps recent (forecast, actual wait)
pairs and learns, for each range of forecasts, the margin ``c`` to add that
minimises

    mean |actual - (forecast + c)|  +  lam * share(actual > forecast + c + 2 min)

with one ``lam`` for all ranges, chosen as the smallest that keeps the overall share
of broken promises at ``target`` or below.  Short forecasts are nearly certain and
get a small margin; long ones are uncertain and get the margin they need, so the
promise is as tight as it can be for the rate of broken promises we accept.
Margins are interpolated between ranges, so a promise moves smoothly.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from itertools import accumulate

UNDER_SLACK_MIN = 2.0  # a promise is broken when the wait is longer than this past it
TARGET_UNDER = 0.085
WINDOW = 6000
REFIT_EVERY = 150
MIN_PAIRS = 200
BINS = 12
LEVELS = [i / 100 for i in range(20, 100)]
PRIOR_FACTOR, PRIOR_MINUTES = 1.25, 2.0  # before there is history: a generous margin


class Calibration:
    def __init__(self, target: float = TARGET_UNDER):
        self.target = target
        self.pairs: deque[tuple[float, float]] = deque(maxlen=WINDOW)
        self.centres: list[float] = []
        self.margins: list[float] = []
        self._new = 0

    def learn(self, forecast: float, actual: float) -> None:
        self.pairs.append((forecast, actual))
        self._new += 1
        if len(self.pairs) >= MIN_PAIRS and (self._new >= REFIT_EVERY or not self.margins):
            self.fit()

    def promise(self, forecast: float) -> float:
        if not self.margins:
            return forecast * PRIOR_FACTOR + PRIOR_MINUTES
        i = bisect_left(self.centres, forecast)
        if i == 0:
            margin = self.margins[0]
        elif i == len(self.centres):
            margin = self.margins[-1]
        else:
            c0, c1 = self.centres[i - 1], self.centres[i]
            w = (forecast - c0) / (c1 - c0) if c1 > c0 else 0.0
            margin = self.margins[i - 1] + w * (self.margins[i] - self.margins[i - 1])
        return max(0.0, forecast + margin)

    def fit(self) -> None:
        """Choose the margins for the pairs kept (equal-count ranges of the forecast)."""
        self._new = 0
        pairs = sorted(self.pairs)
        size = max(1, len(pairs) // BINS)
        groups = [pairs[i:i + size] for i in range(0, len(pairs), size)]
        if len(groups) > 1 and len(groups[-1]) < size // 2:
            groups[-2].extend(groups.pop())
        options = [_options([a - f for f, a in g]) for g in groups]
        total = len(pairs)
        lo, hi = 0.0, 64.0
        choice = _choose(options, hi)
        for _ in range(24):  # bisection on lam: the smallest that meets the target
            mid = (lo + hi) / 2
            picked = _choose(options, mid)
            if sum(u * n for _m, u, n in picked) / total <= self.target:
                hi, choice = mid, picked
            else:
                lo = mid
        self.centres = [sum(f for f, _a in g) / len(g) for g in groups]
        self.margins = [m for m, _u, _n in choice]


def _options(residuals: list[float]) -> list[tuple[float, float, float, int]]:
    """(margin, mean abs error, share broken, n) for candidate margins at many quantiles."""
    r = sorted(residuals)
    n = len(r)
    prefix = [0.0, *accumulate(r)]
    out = []
    for level in LEVELS:
        c = r[min(n - 1, int(level * n))]
        k = bisect_left(r, c)
        mae = (c * k - prefix[k] + (prefix[n] - prefix[k]) - c * (n - k)) / n
        broken = (n - bisect_right(r, c + UNDER_SLACK_MIN)) / n
        out.append((c, mae, broken, n))
    return out


def _choose(options, lam: float) -> list[tuple[float, float, int]]:
    picked = []
    for opts in options:
        c, _mae, broken, n = min(opts, key=lambda o: o[1] + lam * o[2])
        picked.append((c, broken, n))
    return picked
