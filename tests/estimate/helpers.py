"""Small hand-made queues for the estimate tests: the example site on a Tuesday (volunteers 9-12)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub.core.model import SERVED, Ticket

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def served(service: str, minutes: float, *, desk: str = "desk-1", start: float = -60) -> Ticket:
    """A finished visit of a known length, to teach a predictor."""
    t = Ticket(f"Z{int(minutes * 10):03d}", service, "2026-11-23", at(start - 5))
    t.state, t.desk = SERVED, desk
    t.called_at = t.first_called_at = at(start)
    t.finished_at = at(start + minutes)
    return t
