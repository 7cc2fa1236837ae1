"""When the hub is overloaded, and when it is no longer: a pure rule with some hysteresis.

The hub is overloaded while messages wait in its intake for a second or more, or
while it refuses ticket requests as stale; it has recovered when for a few seconds
nothing has waited long and nothing was refused.  The hub says both in its log and
as an alert for the desks.
"""
from __future__ import annotations

RAISE_AFTER_S = 1.0  # a message waiting this long means the hub falls behind
CALM_BELOW_S = 0.25
CLEAR_AFTER_S = 5.0  # calm for this long: recovered


class OverloadWatch:
    def __init__(self) -> None:
        self.overloaded = False
        self.refused = 0  # stale ticket requests refused since the last update
        self.refused_total = 0
        self._calm_since: float | None = None

    def refused_stale(self) -> None:
        self.refused += 1
        self.refused_total += 1

    def update(self, at: float, oldest_age: float) -> str | None:
        """``at``: a monotonic time; returns "raised" or "cleared" when the state changes."""
        refused, self.refused = self.refused, 0
        if oldest_age >= RAISE_AFTER_S or refused:
            self._calm_since = None
            if not self.overloaded:
                self.overloaded = True
                return "raised"
            return None
        if oldest_age < CALM_BELOW_S:
            self._calm_since = at if self._calm_since is None else self._calm_since
        else:
            self._calm_since = None
        if self.overloaded and self._calm_since is not None and at - self._calm_since >= CLEAR_AFTER_S:
            self.overloaded = False
            return "cleared"
        return None
