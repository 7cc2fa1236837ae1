"""The status pages' list (issue 17 §3): the hub keeps and publishes only the hash of a ticket's token,
for tickets issued online and handed over offline alike, rebuilds the list after a hard kill, and
drops a ticket from it once it leaves the queue."""
from __future__ import annotations

import json

from reception import protocol

BASE = "reception/toender"
ONLINE, OFFLINE = protocol.new_token(), protocol.new_token()


def listed(pages) -> dict[str, str]:
    """Number by hash in the latest list."""
    last = json.loads(pages.messages[-1][1])
    return {t["hash"]: t["number"] for t in last["tickets"]}


def test_only_hashes_are_kept_and_published_and_they_survive_a_kill(broker, hub, recorder):
    pages, kiosk = recorder(f"{BASE}/status/pages"), recorder(f"{BASE}/kiosk/kiosk-1/ticket/reply")
    kiosk.publish(f"{BASE}/kiosk/kiosk-1/ticket/request",
                  {"v": 1, "id": "pg-1", "service": "passport", "lang": "uk", "token": ONLINE})
    kiosk.publish(f"{BASE}/kiosk/kiosk-1/ticket/request",
                  {"v": 1, "id": "kiosk-1-off-1", "service": "passport", "offline_number": "C901",
                   "issued_at": "2026-11-24T09:58:00+01:00", "token": OFFLINE})
    kiosk.publish(f"{BASE}/kiosk/kiosk-1/ticket/request", {"v": 1, "id": "pg-2", "service": "passport"})
    kiosk.wait_for(lambda msgs: len(msgs) == 3)
    wanted = {protocol.token_hash(ONLINE): "C001", protocol.token_hash(OFFLINE): "C901"}
    pages.wait_for(lambda msgs: msgs and listed(pages) == wanted)
    entry = json.loads(pages.messages[-1][1])["tickets"]
    assert {(t["lang"], t["expires"]) for t in entry} == {("uk", "2026-11-25T00:00:00+01:00"),
                                                          ("da", "2026-11-25T00:00:00+01:00")}, "the day's end"
    stored = b"".join(path.read_bytes() for path in hub.db_path.parent.glob("hub.db*"))  # with its WAL
    assert protocol.token_hash(ONLINE).encode() in stored
    assert ONLINE.encode() not in stored and OFFLINE.encode() not in stored, "no token in the hub's file"

    hub.kill()
    mark = len(pages.messages)
    hub.start()
    pages.wait_for(lambda msgs: len(msgs) > mark)
    assert listed(pages) == wanted, "rebuilt from the store after a hard kill"

    pages.publish(f"{BASE}/desk/desk-3/command", {"v": 1, "id": "pg-call", "action": "call", "ticket": "C001"})
    pages.publish(f"{BASE}/desk/desk-1/command", {"v": 1, "id": "pg-noshow", "action": "call", "ticket": "C901"})
    pages.publish(f"{BASE}/desk/desk-1/command", {"v": 1, "id": "pg-noshow-2", "action": "noshow"})
    pages.wait_for(lambda msgs: listed(pages) == {protocol.token_hash(ONLINE): "C001"})  # called: still there


def test_a_page_expires_at_local_midnight_also_on_the_days_the_clocks_change(site):
    from hub.status_feed import day_end
    assert day_end(site, "2026-03-29").isoformat() == "2026-03-30T00:00:00+02:00"  # summer time began that day
    assert day_end(site, "2026-10-24").isoformat() == "2026-10-25T00:00:00+02:00"  # it ends at 03:00 the next
    assert day_end(site, "2026-10-25").isoformat() == "2026-10-26T00:00:00+01:00"


def test_the_list_keeps_the_days_latest_finished_tickets_newest_first_and_stays_small(site):
    """A web service started after a ticket finished still finds it; the tail is bounded on the busiest day."""
    from datetime import datetime, timedelta

    from hub.core.model import SERVED, Ticket
    from hub.status_feed import FINISHED_LISTED, StatusFeed

    noon = datetime(2026, 11, 24, 12, tzinfo=site.tz)

    def ticket(i: int, day: str = "2026-11-24", **fields) -> Ticket:
        return Ticket(f"C{i:03d}", "passport", day, noon - timedelta(hours=4), token_hash=f"{i:064x}", **fields)
    finished = [ticket(i, state=SERVED, finished_at=noon - timedelta(minutes=i)) for i in range(1, 2 * FINISHED_LISTED)]
    yesterday = ticket(999, "2026-11-23", state=SERVED, finished_at=noon - timedelta(days=1))
    waiting = [ticket(1000 + i) for i in range(1600)]
    feed = StatusFeed()
    links = feed.links(site, [*finished, yesterday, ticket(998, state=SERVED, finished_at=noon), *waiting], noon)
    assert len(links.tickets) == 1600
    assert [t.number for t in links.finished[:3]] == ["C998", "C001", "C002"], "the newest first"
    assert len(links.finished) == FINISHED_LISTED and "C999" not in {t.number for t in links.finished}
    assert len(links.to_payload()) < protocol.MAX_PAYLOAD, "1,600 open and the tail fit the size limit"
    more = [ticket(3000 + i) for i in range(150)]
    crowded = feed.links(site, [*finished, *waiting, *more], noon)
    assert (len(crowded.tickets), len(crowded.finished)) == (1750, 50), "open tickets first: the tail gives way"
    assert len(crowded.to_payload()) < protocol.MAX_PAYLOAD
    assert feed.links(site, [*finished, *waiting], noon) is not None  # C998 left the tail: published anew
    assert feed.links(site, [*finished, *waiting], noon) is None  # nothing changed
