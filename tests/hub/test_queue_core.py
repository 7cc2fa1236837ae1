"""The queue rules, tested directly on the pure core with the example site."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hub.core.model import CALLED, EXPIRED, NO_SHOW, SERVED, WAITING
from hub.core.queue import Queue
from reception.errors import QueueError

CPH = ZoneInfo("Europe/Copenhagen")
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=CPH)  # a Tuesday: volunteers are in 9-12


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def q(site):
    return Queue(site)


def open_desks(q, *ids, now=T0):
    for d in ids:
        q.command(d, "open", now)


def called(q, desk):
    t = q.current(desk)
    return t.number if t else None


def test_numbers_count_per_service_and_restart_next_day(q):
    assert q.issue("passport", at(0))[0].number == "C001"
    assert q.issue("passport", at(1))[0].number == "C002"
    assert q.issue("moving", at(2))[0].number == "F001"
    assert q.issue("passport", at(24 * 60))[0].number == "C001"


def test_numbering_skips_the_kiosks_offline_ranges(q):
    q._last[("2026-11-24", "C")] = 900
    assert q.issue("passport", at(0))[0].number == "C950"
    assert q.issue("passport", at(1))[0].number == "C1000"


def test_numbering_survives_a_rebuild_from_stored_tickets(site, q):
    for i in range(3):
        q.issue("passport", at(i))
    rebuilt = Queue(site, q.tickets.values(), q.desks.values())
    assert rebuilt.issue("passport", at(5))[0].number == "C004"


def test_desk_gets_only_services_it_may_serve(q):
    q.issue("passport", at(0))
    learn, _ = q.issue("mitid_learn", at(1), preference="volunteer")
    open_desks(q, "vol-1")
    q.command("vol-1", "next", at(2))
    assert called(q, "vol-1") == learn.number


def test_volunteer_desk_never_gets_staff_only_or_staff_preferred_tickets(q):
    q.issue("passport", at(0))
    q.issue("mitid_learn", at(1), preference="staff")
    open_desks(q, "vol-1")
    q.command("vol-1", "next", at(2))
    assert called(q, "vol-1") is None


def test_citizens_choice_of_volunteer_is_respected_while_volunteers_are_in(q):
    vol, _ = q.issue("mitid_learn", at(0), preference="volunteer")
    open_desks(q, "desk-1", "vol-1")
    q.command("desk-1", "next", at(1))
    assert called(q, "desk-1") is None, "staff must not take a citizen who chose a volunteer"
    q.command("vol-1", "close", at(2))
    q.command("desk-1", "next", at(10))
    assert called(q, "desk-1") == vol.number, "with no volunteer left, staff step in"


def test_longest_wait_first_across_services(q):
    a, _ = q.issue("moving", at(0))
    b, _ = q.issue("passport", at(1))
    open_desks(q, "desk-1")
    q.command("desk-1", "next", at(5))
    assert called(q, "desk-1") == a.number
    q.command("desk-1", "next", at(10))
    assert called(q, "desk-1") == b.number
    assert q.tickets[a.key].state == SERVED


def test_priorities_give_a_bounded_head_start(q, site):
    early, _ = q.issue("moving", at(0))
    carer, _ = q.issue("moving", at(5), extras=("carer",))  # 15 minutes head start
    late_carer, _ = q.issue("moving", at(20), extras=("carer",))
    open_desks(q, "desk-1")
    order = []
    for m in (30, 40, 50):
        q.command("desk-1", "next", at(m))
        order.append(called(q, "desk-1"))
    assert order == [carer.number, early.number, late_carer.number]


def test_private_visits_go_to_the_private_room_when_it_can_help(q):
    q.issue("moving", at(0))
    private, _ = q.issue("moving", at(1), extras=("private",))
    open_desks(q, "desk-1", "room-1")
    q.command("desk-1", "next", at(2))
    assert called(q, "desk-1") != private.number
    q.command("room-1", "next", at(2))
    assert called(q, "room-1") == private.number


def test_double_press_within_the_guard_never_skips_a_citizen(q):
    a, _ = q.issue("moving", at(0))
    q.issue("moving", at(1))
    open_desks(q, "desk-1")
    q.command("desk-1", "next", at(2))
    effects = q.command("desk-1", "next", at(2) + timedelta(seconds=1))
    assert not effects.events
    assert called(q, "desk-1") == a.number
    assert q.tickets[a.key].state == CALLED


def test_recall_calls_the_same_ticket_again(q):
    a, _ = q.issue("moving", at(0))
    open_desks(q, "desk-1")
    q.command("desk-1", "next", at(1))
    effects = q.command("desk-1", "recall", at(2))
    assert [e.kind for e in effects.events] == ["recalled"]
    assert q.tickets[a.key].recalls == 1 and called(q, "desk-1") == a.number


def test_no_show_can_be_called_back_within_grace_only(q, site):
    a, _ = q.issue("moving", at(0))
    b, _ = q.issue("moving", at(1))
    open_desks(q, "desk-1")
    q.command("desk-1", "next", at(2))
    q.command("desk-1", "noshow", at(3))
    assert q.tickets[a.key].state == NO_SHOW
    q.command("desk-1", "call", at(5), ticket=a.number)
    assert called(q, "desk-1") == a.number
    q.command("desk-1", "noshow", at(6))
    grace = site.queue.no_show_grace_minutes
    with pytest.raises(QueueError, match="no-show more than"):
        q.command("desk-1", "call", at(6 + grace + 1), ticket=a.number)
    assert q.tickets[b.key].state == WAITING


def test_transfer_to_staff_keeps_the_original_arrival(q):
    learn, _ = q.issue("mitid_learn", at(0), preference="volunteer")
    q.issue("mitid_learn", at(1), preference="staff")
    q.issue("moving", at(2))
    open_desks(q, "vol-1", "desk-1")
    q.command("vol-1", "next", at(3))
    assert called(q, "vol-1") == learn.number
    effects = q.command("vol-1", "transfer", at(10), to_kind="staff", service="mitid_get")
    assert [e.kind for e in effects.events] == ["transferred"]
    t = q.tickets[learn.key]
    assert (t.state, t.service, t.preference, t.issued_at) == (WAITING, "mitid_get", "staff", at(0))
    q.command("desk-1", "next", at(11))
    assert called(q, "desk-1") == learn.number, "the transferred citizen is not sent to the back"


def test_transfer_to_a_kind_that_cannot_serve_is_refused_and_changes_nothing(q):
    t, _ = q.issue("moving", at(0))
    open_desks(q, "desk-1")
    q.command("desk-1", "next", at(1))
    with pytest.raises(QueueError):
        q.command("desk-1", "transfer", at(2), to_kind="volunteer")
    assert q.tickets[t.key].state == CALLED and called(q, "desk-1") == t.number


def test_staff_can_call_a_chosen_ticket_out_of_order(q):
    q.issue("moving", at(0))
    urgent, _ = q.issue("passport", at(5))
    open_desks(q, "desk-1")
    q.command("desk-1", "call", at(6), ticket=urgent.number)
    assert called(q, "desk-1") == urgent.number


def test_unknown_desk_and_bad_commands_raise_and_change_nothing(q):
    t, _ = q.issue("moving", at(0))
    with pytest.raises(QueueError, match="unknown desk"):
        q.command("desk-9", "next", at(1))
    with pytest.raises(QueueError, match="not serving"):
        q.command("desk-1", "done", at(1))
    with pytest.raises(QueueError, match="no ticket"):
        q.command("desk-1", "call", at(1), ticket="C099")
    assert q.tickets[t.key].state == WAITING


def test_unserved_tickets_expire_after_closing_and_at_midnight(q, site):
    t, _ = q.issue("moving", at(0))  # Tuesday, closes 15:00
    open_desks(q, "desk-1")
    assert not q.expire_due(at(6 * 60)).tickets  # 15:00, still within the margin
    effects = q.expire_due(at(6 * 60 + site.queue.expire_after_close_minutes))
    assert q.tickets[t.key].state == EXPIRED and t.key in effects.tickets
    assert q.desks["desk-1"].status == "closed"
    late, _ = q.issue("moving", at(14 * 60 + 30))  # 23:30 the same evening
    q.expire_due(at(15 * 60 + 31))  # 00:31 next day
    assert q.tickets[late.key].state == EXPIRED


def test_day_rollover_follows_copenhagen_time_across_dst():
    from reception import schedule, config
    from tests.conftest import EXAMPLE_CONFIG
    site = config.load(EXAMPLE_CONFIG)
    utc = ZoneInfo("UTC")
    # 2026-10-25: clocks go back at 03:00 CEST -> 02:00 CET.  22:30 UTC the day before is 23:30 CET... 00:30 CEST.
    assert schedule.local_day(site, datetime(2026, 10, 24, 21, 59, tzinfo=utc)) == "2026-10-24"
    assert schedule.local_day(site, datetime(2026, 10, 24, 22, 0, tzinfo=utc)) == "2026-10-25"  # 00:00 CEST
    assert schedule.local_day(site, datetime(2026, 10, 25, 22, 59, tzinfo=utc)) == "2026-10-25"  # 23:59 CET
    assert schedule.local_day(site, datetime(2026, 10, 25, 23, 0, tzinfo=utc)) == "2026-10-26"
    # 2026-03-29: clocks go forward; the day starts at 23:00 UTC the evening before.
    assert schedule.local_day(site, datetime(2026, 3, 28, 23, 0, tzinfo=utc)) == "2026-03-29"


def test_offline_ticket_keeps_its_place_and_is_taken_over_once(q):
    q.issue("moving", at(5))
    t, effects = q.import_offline("F901", "moving", at(1), at(20), kiosk="kiosk-1")
    assert t.offline and effects.events
    again, effects = q.import_offline("F901", "moving", at(1), at(21), kiosk="kiosk-1")
    assert again is t and not effects.events
    open_desks(q, "desk-1")
    q.command("desk-1", "next", at(22))
    assert called(q, "desk-1") == "F901"


@pytest.mark.parametrize("number,kiosk,problem", [
    ("C901", "kiosk-1", "does not belong"),
    ("F951", "kiosk-1", "outside the offline range"),
    ("F901", "kiosk-9", "outside the offline range"),
])
def test_offline_tickets_outside_the_kiosks_range_are_refused(q, number, kiosk, problem):
    with pytest.raises(QueueError, match=problem):
        q.import_offline(number, "moving", at(0), at(1), kiosk=kiosk)
    assert not q.tickets


@pytest.mark.parametrize("issued_at,problem", [(at(7), "in the future"), (at(-31 * 24 * 60), "30 days back")])
def test_offline_tickets_from_the_future_or_from_days_purged_are_refused(q, issued_at, problem):
    with pytest.raises(QueueError, match=problem):
        q.import_offline("F901", "moving", issued_at, at(1), kiosk="kiosk-1")
    assert not q.tickets


def test_a_volunteer_cannot_call_out_of_order_a_citizen_who_chose_staff(q):
    t, _ = q.issue("mitid_learn", at(0), preference="staff")
    open_desks(q, "vol-1")
    with pytest.raises(QueueError, match="asked for staff"):
        q.command("vol-1", "call", at(1), ticket=t.number)
    assert q.tickets[t.key].state == WAITING


def test_first_visit_answered_after_the_ticket_is_kept_for_the_issuing_kiosk_only(q):
    ticket, _ = q.issue("passport", at(0), kiosk="kiosk-1")
    assert ticket.first_visit is None
    effects = q.set_first_visit(ticket.number, "kiosk-1", False, at(1))
    assert ticket.first_visit is False and ticket.key in effects.tickets
    assert not q.set_first_visit(ticket.number, "kiosk-1", False, at(1)).tickets  # the same answer again: nothing
    with pytest.raises(QueueError, match="kiosk-2"):
        q.set_first_visit(ticket.number, "kiosk-2", True, at(2))
    with pytest.raises(QueueError, match="no ticket"):
        q.set_first_visit("C077", "kiosk-1", True, at(2))
    assert ticket.first_visit is False


def test_a_citizen_who_chose_a_volunteer_and_privacy_is_not_stranded(q):
    """The private room is staff; a volunteer is in: the citizen's own choice wins over the room."""
    t, _ = q.issue("mitid_learn", at(0), preference="volunteer", extras=("private",))
    open_desks(q, "vol-1", "room-1")
    q.command("room-1", "next", at(1))
    assert called(q, "room-1") is None, "the citizen chose a volunteer"
    q.command("vol-1", "next", at(2))
    assert called(q, "vol-1") == t.number


def test_what_begins_after_hours_lasts_until_midnight(q, site):
    """Staff working late: a desk opened and a ticket issued after closing are not swept away."""
    margin = site.queue.expire_after_close_minutes
    late = at(7 * 60 + margin)  # 16:00 + margin on a Tuesday that closed at 15:00
    t, _ = q.issue("moving", late)
    q.command("desk-1", "open", late)
    assert not q.expire_due(late + timedelta(minutes=1)).events
    assert q.desks["desk-1"].status == "open" and q.tickets[t.key].state == WAITING
    q.expire_due(at(15 * 60 + 1))  # 00:01 the next day
    assert q.desks["desk-1"].status == "closed" and q.tickets[t.key].state == EXPIRED


def test_ahead_counts_only_those_in_this_citizens_own_line(q):
    """A004 after A001-A003 is "3 foran dig", even when passports issued earlier will be called sooner."""
    open_desks(q, "vol-1", "vol-2", "desk-1", "desk-2")
    for i in range(5):
        q.issue("passport", at(i))
    learners = [q.issue("mitid_learn", at(10 + i), preference="volunteer")[0] for i in range(4)]
    assert [t.number for t in learners] == ["A001", "A002", "A003", "A004"]
    assert [q.ahead(t) for t in learners] == [0, 1, 2, 3]
    passport, _ = q.issue("passport", at(20))
    assert q.ahead(passport) == 5  # the five passports; the volunteers' line is not its line


def test_ahead_follows_the_choice_the_priorities_and_the_private_room(q):
    open_desks(q, "vol-1", "desk-3", "room-1")
    q.issue("passport", at(0))
    staff_learner, _ = q.issue("mitid_learn", at(1), preference="staff")
    assert q.ahead(staff_learner) == 1  # only room-1 may take it, and the passport first
    appointment, _ = q.issue("appointment", at(5))  # 30 minutes' head start
    passport, _ = q.issue("passport", at(6))
    assert q.ahead(appointment) == 0 and q.ahead(passport) == 3
    private, _ = q.issue("pension", at(7), extras=("private",))
    assert q.ahead(private) == 0  # the private room takes those who asked for it first


def test_ahead_with_no_desk_open_counts_the_line_for_the_desks_that_will_open(q):
    for i in range(3):
        q.issue("passport", at(i))
    q.issue("mitid_learn", at(3), preference="volunteer")
    last, _ = q.issue("passport", at(4))
    assert q.ahead(last) == 3


def test_a_ticket_keeps_the_citizens_language_in_the_store_and_an_old_store_gains_it(q, tmp_path):
    import sqlite3

    from hub.store import Store

    uk, effects = q.issue("passport", at(0), lang="uk")
    odd, _ = q.issue("passport", at(1), lang="xx")
    assert (uk.lang, odd.lang) == ("uk", "da")  # a language the site does not offer: the site's first
    old = tmp_path / "old.db"
    columns = [c for c in uk.to_record() if c != "lang"]
    with sqlite3.connect(old) as db:  # a hub database from before tickets kept their language
        db.execute(f"create table tickets ({', '.join(columns)}, primary key (key))")
        db.execute("insert into tickets (key, number, service, day, issued_at, state, extras) values"
                   " ('2026-11-24/C009', 'C009', 'passport', '2026-11-24', '2026-11-24T09:00:00+01:00', 'waiting', '')")
    store = Store(old)
    store.apply(effects)
    loaded = {t.number: t.lang for t in store.load("2026-11-24")[0]}
    store.close()
    assert loaded == {"C009": "da", "C001": "uk"}


def test_the_boards_calls_show_each_number_once_so_a_recall_leaves_no_gap():
    from hub.views import latest_per_number
    from reception.protocol import CallEvent

    at = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)
    newest_first = [CallEvent("call", n, "desk-1", {"da": "Skranke 1"}, at, 1)
                    for n in ("A001", "C002", "A001", "B003", "A001", "D004")]
    assert [c.number for c in latest_per_number(newest_first, 3)] == ["A001", "C002", "B003"]
    assert [c.number for c in latest_per_number(newest_first, 7)] == ["A001", "C002", "B003", "D004"]


def test_a_new_site_for_the_day_changes_routing_and_call_order_at_once(q, site):
    """Today's setup replaces the queue's site: what it remembers of who may take whom, and the call
    order by priority, follow the new rules (nothing kept from the old ones)."""
    from dataclasses import replace

    open_desks(q, "desk-1")
    passport, _ = q.issue("passport", at(0))
    moving, _ = q.issue("moving", at(1))
    assert q.desk_queue("desk-1") == [passport, moving]
    desk = replace(site.desks["desk-1"], services=site.desks["desk-1"].services - {"passport"})
    moving_first = replace(site.services["moving"], priority_minutes=30)
    q.site = replace(site, desks={**site.desks, "desk-1": desk}, services={**site.services, "moving": moving_first})
    assert q.desk_queue("desk-1") == [moving]
    assert q.waiting() == [moving, passport]
