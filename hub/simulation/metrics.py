"""How good a wait prediction was, in the terms a citizen and a manager care about.

An under-prediction is a wait more than ``UNDER_SLACK_MIN`` longer than promised:
being called a little late is not a broken promise, being kept 10 minutes longer is.
A predictor that shows no estimate (None) is scored as having promised 0 minutes.
"""
from __future__ import annotations

import math
from typing import Iterable

from hub.core.calibration import UNDER_SLACK_MIN

WITHIN_MIN = 5.0


def quantile(values: list[float], q: float) -> float:
    """The q-quantile with linear interpolation (numpy's default), of a non-empty list."""
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def score(pairs: Iterable[tuple[float, float | None]]) -> dict:
    """Metrics of (actual wait, predicted wait) pairs, in minutes."""
    pairs = [(actual, predicted or 0.0) for actual, predicted in pairs]
    if not pairs:
        return {"n": 0, "mae_min": None, "p90_abs_min": None, "within_5_min": None, "under_rate": None,
                "mean_under_min": None, "mean_bias_min": None}
    errors = [abs(a - p) for a, p in pairs]
    under = [a - p for a, p in pairs if a > p + UNDER_SLACK_MIN]
    return {
        "n": len(pairs),
        "mae_min": sum(errors) / len(errors),
        "p90_abs_min": quantile(errors, 0.9),
        "within_5_min": sum(e <= WITHIN_MIN for e in errors) / len(errors),
        "under_rate": len(under) / len(pairs),
        "mean_under_min": sum(under) / len(under) if under else 0.0,  # by how much, when late
        "mean_bias_min": sum(p - a for a, p in pairs) / len(pairs),  # positive: promises too long
    }


CAL_TARGET = 0.10  # the calibrated comparison: every predictor breaks this share of promises on the training days
PINBALL_Q = 0.9


def fit_margin(pairs: list[tuple[float, float | None]], target: float = CAL_TARGET) -> float:
    """The constant margin (minutes, may be negative) with which a predictor breaks ``target`` of its
    promises on these pairs: waits more than ``UNDER_SLACK_MIN`` past ``max(0, predicted + margin)``."""
    pairs = [(actual, predicted or 0.0) for actual, predicted in pairs]
    if not pairs:
        return 0.0
    lo, hi = -24 * 60.0, 24 * 60.0
    for _ in range(40):  # broken promises fall as the margin grows: bisection
        mid = (lo + hi) / 2
        broken = sum(a > max(0.0, p + mid) + UNDER_SLACK_MIN for a, p in pairs)
        lo, hi = (mid, hi) if broken > target * len(pairs) else (lo, mid)
    return hi


def calibrated(train: list, test: list, target: float = CAL_TARGET) -> dict:
    """Score a predictor at equal promise-keeping: its constant margin fitted on ``train``, used on ``test``."""
    margin = fit_margin(train, target)
    promised = [(a, max(0.0, (p or 0.0) + margin)) for a, p in test]
    s = score(promised)
    loss = [PINBALL_Q * (a - p) if a >= p else (1 - PINBALL_Q) * (p - a) for a, p in promised]
    return {"margin_min": margin, "cal_mae_min": s["mae_min"], "cal_under_rate": s["under_rate"],
            "pinball_q90_min": sum(loss) / len(loss) if loss else None}
