"""What a status page says about its ticket, from what the hub published; the token expires with
the ticket's day (no real clock: the instants are given)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reception import protocol
from web.ticket_status import CALLED, DONE, UNKNOWN, WAITING, TicketStatus, status_of

TOKEN = protocol.new_token()
END = datetime(2026, 11, 25, 0, 0, tzinfo=timezone(timedelta(hours=1)))  # the end of the ticket's day
LINK = protocol.TicketLink(protocol.token_hash(TOKEN), "C004", "uk", END)
LINKS = {LINK.hash: LINK}
NOON = END - timedelta(hours=12)


def queue(*numbers: str) -> protocol.QueueSnapshot:
    return protocol.QueueSnapshot(NOON, tuple(protocol.QueuedTicket(n, "passport", i, 5 * i)
                                              for i, n in enumerate(numbers)))


def desk(current: str | None) -> protocol.DeskState:
    ticket = None if current is None else protocol.TicketAtDesk(current, "passport", 3.0, state="called")
    return protocol.DeskState("desk-3", "open", ticket, (), 0, NOON, "staff")


def test_waiting_shows_the_place_and_the_wait_in_the_tickets_language():
    parsed = {"queue": queue("C002", "C003", "C004"), "desk:desk-3": desk("C001")}
    assert status_of(TOKEN, LINKS, LINKS, parsed, NOON) == TicketStatus(WAITING, "uk", "C004", 3, 10)
    assert status_of(TOKEN, LINKS, LINKS, {}, NOON) == TicketStatus(WAITING, "uk", "C004"), "before the queue lists it"


def test_called_names_the_desk():
    parsed = {"queue": queue("C005"), "desk:desk-3": desk("C004")}
    assert status_of(TOKEN, LINKS, LINKS, parsed, NOON) == TicketStatus(CALLED, "uk", "C004", desk="desk-3")


def test_a_ticket_that_left_the_queue_is_done_until_its_day_ends():
    assert status_of(TOKEN, {}, LINKS, {}, NOON) == TicketStatus(DONE, "uk", "C004")
    assert status_of(TOKEN, {}, LINKS, {}, END).state == UNKNOWN


def test_the_token_expires_at_the_end_of_the_tickets_day():
    assert status_of(TOKEN, LINKS, LINKS, {}, END - timedelta(seconds=1)).state == WAITING
    assert status_of(TOKEN, LINKS, LINKS, {}, END) == TicketStatus(UNKNOWN), "nothing said about an expired one"


def test_unknown_and_malformed_tokens_are_unknown():
    for token in (protocol.new_token(), "short", "../../etc/passwd", LINK.hash, "x" * 65):
        assert status_of(token, LINKS, LINKS, {}, NOON) == TicketStatus(UNKNOWN), token
