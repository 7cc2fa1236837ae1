"""When the hub is overloaded, and which ticket requests come too late: pure rules.

The hub is overloaded while messages wait in its intake for a second or more, or
while it refuses ticket requests as stale; it has recovered when for a few seconds
nothing has waited long and nothing was refused (some hysteresis).  The hub says both
in its log and as an alert for the desks.
"""
from __future__ import annotations

from datetime import datetime

from reception.protocol import KIOSK_REPLY_TIMEOUT_S, TicketRequest

STALE_AFTER_S = KIOSK_REPLY_TIMEOUT_S - 0.5  # a request that waited longer: its kiosk is about to give up
REPLAY_WINDOW_S = 2.0  # what arrives this soon after a (re)connect is what the broker kept while the hub was away
BACKLOG = 50  # messages waiting in the intake: the hub is behind, and a request's own age is worth a look

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

    def describe(self, change: str, waiting: int, oldest_age: float) -> str:
        if change == "raised":
            return (f"overloaded: {waiting} messages waiting, the oldest for {oldest_age:.1f} s; ticket requests "
                    f"waiting over {STALE_AFTER_S:.1f} s are refused as stale (their kiosks print their own numbers)")
        return f"no longer overloaded ({self.refused_total} ticket requests refused as stale so far)"


def stale(request: TicketRequest, waited: float, since_connect: float, backlog: int, now: datetime) -> bool:
    """Whether to refuse an online ticket request as too late: it waited in the intake until its kiosk is
    about to give up; or the kiosk's clock says it was sent that long ago, and the hub has reason to
    believe it: the request waited outside the intake, because the broker kept it while the hub was away
    (it arrives within ``REPLAY_WINDOW_S`` of the connect) or the hub is behind (``BACKLOG`` waiting).
    Only then, so a kiosk whose clock lags never loses tickets to a hub that keeps up.  A hand-over is a
    citizen's number: never stale."""
    if request.offline_number:
        return False
    if waited > STALE_AFTER_S:
        return True
    behind = since_connect < REPLAY_WINDOW_S or backlog >= BACKLOG
    return behind and request.sent_at is not None and (now - request.sent_at).total_seconds() > STALE_AFTER_S
