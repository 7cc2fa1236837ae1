"""Login rate limit: a few wrong passwords, then a pause, per account and per client address.

Kept in memory: a restart of the web service forgets the count, which costs a guesser one
restart per handful of tries, and no file grows from a flood.  The clock is an input.
"""
from __future__ import annotations

import threading
from collections import defaultdict, deque
from datetime import datetime, timedelta
from typing import Callable

ACCOUNT_TRIES = 5     # wrong passwords for one name within the window
ADDRESS_TRIES = 20    # wrong passwords from one address within the window (a shared office PC)
WINDOW = timedelta(minutes=15)


class LoginLimit:
    def __init__(self, clock: Callable[[], datetime]):
        self.clock = clock
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> int:
        times, since = self._failures[key], self.clock() - WINDOW
        while times and times[0] < since:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0
        return len(times)

    def blocked(self, name: str, address: str) -> bool:
        """True while either the name or the address has used up its tries."""
        with self._lock:
            return (self._recent(f"name:{name}") >= ACCOUNT_TRIES
                    or self._recent(f"addr:{address}") >= ADDRESS_TRIES)

    def failed(self, name: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            self._failures[f"name:{name}"].append(now)
            self._failures[f"addr:{address}"].append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"name:{name}", None)
