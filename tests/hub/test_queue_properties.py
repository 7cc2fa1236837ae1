"""Property-based: any sequence of kiosk and desk operations keeps the queue's promises."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core import routing
from hub.core.model import CALLED, WAITING
from hub.core.queue import Queue
from reception import config
from reception.errors import QueueError
from tests.conftest import EXAMPLE_CONFIG

SITE = config.load(EXAMPLE_CONFIG)
START = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
ACTIONS = ("next", "recall", "noshow", "transfer", "done", "open", "pause", "close", "call")

# a checked-in appointment: booked this many minutes from its check-in, at this desk (None: any)
booked = st.none() | st.tuples(st.integers(min_value=-15, max_value=40), st.sampled_from([None, *sorted(SITE.desks)]))
issue_op = st.tuples(st.just("issue"), st.sampled_from(sorted(SITE.services)),
                     st.sampled_from(["any", "staff", "volunteer"]),
                     st.lists(st.sampled_from(["appointment", "carer", "private"]), max_size=2, unique=True), booked)


def issue(q: Queue, op: tuple, now: datetime):
    """The ticket of an ``issue_op``: a walk-in, or an appointment held until its booked time."""
    _issue, service, preference, extras, booking = op
    when = {} if booking is None else {"booked_at": now + timedelta(minutes=booking[0]), "booked_desk": booking[1]}
    return q.issue(service, now, preference=preference, extras=tuple(extras), **when)
desk_op = st.tuples(st.just("desk"), st.sampled_from(sorted(SITE.desks)), st.sampled_from(ACTIONS),
                    st.integers(min_value=0, max_value=30), st.sampled_from(sorted(SITE.services)))
ops = st.lists(st.tuples(st.one_of(issue_op, desk_op), st.integers(min_value=0, max_value=400)),
               min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_no_ticket_is_lost_duplicated_or_given_to_the_wrong_desk(sequence):
    q = Queue(SITE)
    now = START
    issued = []
    for op, gap_s in sequence:
        now += timedelta(seconds=gap_s)
        if op[0] == "issue":
            ticket, _ = issue(q, op, now)
            issued.append(ticket.key)
            continue
        _, desk, action, pick, service = op
        before = {k: (t.state, t.service, t.desk) for k, t in q.tickets.items()}
        number = None
        if action == "call" and issued:
            number = q.tickets[issued[pick % len(issued)]].number
        try:
            effects = q.command(desk, action, now, ticket=number, service=service if pick % 2 else None,
                                to_kind="staff")
        except QueueError:
            after = {k: (t.state, t.service, t.desk) for k, t in q.tickets.items()}
            assert after == before, "a refused command must change nothing"
            continue
        for event in effects.calls:
            ticket = q.tickets[event.ticket]
            assert routing.serves(SITE, SITE.desks[event.desk], ticket.service), "desk got a service it may not serve"
            if SITE.desks[event.desk].kind == "volunteer":
                assert SITE.services[ticket.service].volunteer_may_serve
                assert ticket.preference != "staff"

        # invariants after every step
        assert sorted(q.tickets) == sorted(issued), "tickets lost or invented"
        numbers = [(t.day, t.number) for t in q.tickets.values()]
        assert len(numbers) == len(set(numbers)), "a number was issued twice"
        current = [d.current for d in q.desks.values() if d.current]
        assert len(current) == len(set(current)), "one ticket at two desks"
        for d in q.desks.values():
            if d.current:
                assert q.tickets[d.current].state == CALLED and q.tickets[d.current].desk == d.id
        called = [t.key for t in q.tickets.values() if t.state == CALLED]
        assert sorted(called) == sorted(current), "a called ticket without a desk"


@settings(max_examples=80, deadline=None)
@given(st.lists(issue_op, min_size=1, max_size=40))
def test_every_waiting_ticket_is_eventually_called_when_all_desks_work(tickets):
    """No starvation: with every desk open and pressing next, the queue drains completely,
    whatever the citizens chose and needed, appointments held until their time included."""
    q = Queue(SITE)
    now = START
    for op in tickets:
        issue(q, op, now)
        now += timedelta(seconds=30)
    for d in SITE.desks:
        q.command(d, "open", now)
    for _ in range(len(tickets) + len(SITE.desks) + 8):  # 8 rounds of 5 minutes: the latest booked time
        now += timedelta(minutes=5)
        for d in SITE.desks:
            q.command(d, "next", now)
    assert not [t for t in q.tickets.values() if t.state == WAITING]


@settings(max_examples=100, deadline=None)
@given(ops)
def test_the_counts_of_a_whole_snapshot_agree_with_each_tickets_own_count(sequence):
    """The snapshot counts every line in one pass (a long queue must not cost n squared); each
    count must be the very number the ticket's own reply gives."""
    q = Queue(SITE)
    now = START
    for op, gap_s in sequence:
        now += timedelta(seconds=gap_s)
        try:
            if op[0] == "issue":
                issue(q, op, now)
            else:
                q.command(op[1], op[2], now, service=op[4] if op[3] % 2 else None, to_kind="staff")
        except QueueError:
            pass
    assert q.ahead_all() == {t.key: q.ahead(t) for t in q.waiting()}


def sorted_waiting(q: Queue) -> list:
    """Waiting tickets a desk may call now (not an appointment held for its time), sorted by rank."""
    held = {t.key for t in q.held()}
    return sorted((t for t in q.tickets.values() if t.state == WAITING and t.key not in held),
                  key=lambda t: routing.rank_key(SITE, t))


def picked_by_sorting(q: Queue, desk: str):
    """The next ticket as the queue chose it when it sorted the whole queue for every call."""
    cfg, open_cfgs = SITE.desks[desk], q.open_desks()
    candidates = [t for t in sorted_waiting(q) if routing.may_serve(SITE, cfg, t, open_cfgs)]
    private = [t for t in candidates if cfg.private and routing.wants_private_room(SITE, t)]
    return (private or candidates or [None])[0]


@settings(max_examples=100, deadline=None)
@given(ops)
def test_the_call_order_kept_as_tickets_change_is_the_sorted_order(sequence):
    """The queue keeps its waiting tickets in call order as they come and go (no sort per view):
    after every operation that order, each desk's line and each desk's next call are what sorting
    the whole queue again gives."""
    q = Queue(SITE)
    now = START
    for op, gap_s in sequence:
        now += timedelta(seconds=gap_s)
        expected = None
        try:
            if op[0] == "issue":
                issue(q, op, now)
            else:
                q.release(now)  # as every call does first
                if op[2] == "next" and q.desks[op[1]].status == "open":
                    expected = picked_by_sorting(q, op[1])
                effects = q.command(op[1], op[2], now, service=op[4] if op[3] % 2 else None, to_kind="staff")
                if effects.calls:
                    assert expected is None or q.tickets[effects.calls[0].ticket] is expected
        except QueueError:
            pass
        assert q.waiting() == sorted_waiting(q)
        for desk, cfg in SITE.desks.items():
            open_cfgs = q.open_desks() + ([] if cfg in q.open_desks() else [cfg])
            assert q.desk_queue(desk) == [t for t in sorted_waiting(q) if routing.may_serve(SITE, cfg, t, open_cfgs)]
    rebuilt = Queue(SITE, q.tickets.values(), q.desks.values())  # after a restart
    q.release(now), rebuilt.release(now)
    assert rebuilt.waiting() == q.waiting() and rebuilt.held() == q.held()
