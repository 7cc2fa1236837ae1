"""Expected waits for the choice screen, read from the hub's retained board snapshot."""
from __future__ import annotations

from reception.protocol import BoardSnapshot


def expected_wait(board: BoardSnapshot | None, service: str, kind: str) -> int | None:
    """Minutes a new ticket for ``service`` would wait for a desk of ``kind``; None when unknown."""
    if board is None:
        return None
    for s in board.services:
        if s.service == service and kind in s.eta_min:
            return s.eta_min[kind]
    k = board.kinds.get(kind)
    return k.eta_min if k else None


def volunteers_in(board: BoardSnapshot | None) -> bool:
    """Is a volunteer desk open now?  Without a board we cannot promise one."""
    if board is None:
        return False
    k = board.kinds.get("volunteer")
    return bool(k and k.open > 0)
