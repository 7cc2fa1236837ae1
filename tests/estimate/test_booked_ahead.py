"""Appointments checked in early are held until their booked time, then ranked ahead of walk-ins: the
estimates of walk-ins behind them count them (``hub.core.play``), and theirs are never before that time."""
import random

import pytest

from hub import views
from hub.core.appointments import Appointment
from hub.core.checkin import KEPT, Booking, Bookings, issue_booked
from hub.core.estimate import Estimates, ForwardSimulation, not_before_booked
from hub.core.queue import Queue

from .helpers import at, served

NOW = -5.0  # 09:55: five minutes before the bookings of 10:00


def office(site, *, busy: bool, booked: tuple[float, ...] = (), desk: str | None = None, walk_in=True) -> Queue:
    """desk-1 alone open; with ``busy`` a citizen at it since 09:53 (about 8 more minutes); bookings for
    passport at these minutes from 10:00, all checked in at 09:45; then a walk-in at 09:55."""
    q = Queue(site)
    q.command("desk-1", "open", at(-60))
    if busy:
        q.issue("passport", at(-30))
        q.command("desk-1", "next", at(-7))
    bookings = Bookings(site.appointments, [Booking(Appointment(f"10{i:02d}", at(m), "passport", desk or "any"),
                                                    f"slot{i}") for i, m in enumerate(booked)])
    for i, _ in enumerate(booked):
        _, _, check = issue_booked(q, bookings, at(-15), "reception", code=f"10{i:02d}")
        assert check.outcome == KEPT
    if walk_in:
        q.issue("passport", at(NOW))
    return q


def taught(site, visits=()):
    """Our estimator, having seen these visits (by default 200 passport visits of 10 minutes)."""
    est = ForwardSimulation(site)
    for visit in visits or [served("passport", 10)] * 200:
        est.observe(visit)
    return est


def walk_in(q):
    return [t for t in q.tickets.values() if t.booked_at is None and t.state == "waiting"][-1]


def typical(est, q) -> dict[str, float]:
    """Typical minutes until called (before the margin), by ticket number."""
    return {q.tickets[k].number: f.minutes for k, f in est._plan(q, at(NOW)).run().items() if f is not None}


def test_a_walk_in_waits_for_the_bookings_due_before_it_would_be_called(site):
    """The desk is free at about 10:03; the three bookings of 10:00 (ranked 09:30 by their head start)
    are called first, so the walk-in of 09:55 waits three visits longer than with nobody booked."""
    est = taught(site)
    visit = est.visits.per_call("passport", 20)
    alone, booked = office(site, busy=True), office(site, busy=True, booked=(0, 0, 0))
    assert len(booked.held()) == 3 and len(booked.waiting()) == 1, "the bookings are held, not yet callable"
    before, after = typical(est, alone)[walk_in(alone).number], typical(est, booked)[walk_in(booked).number]
    assert before == pytest.approx(8, abs=1)
    assert after - before == pytest.approx(3 * visit, rel=0.05)
    promised = [est.estimate_issued(q, at(NOW), [walk_in(q)])[0].minutes for q in (alone, booked)]
    assert promised[1] - promised[0] == pytest.approx(3 * visit, rel=0.15), "the printed promise too"
    board = [est.estimate(q, at(NOW)).services["passport"]["staff"] for q in (alone, booked)]
    assert board[1] - board[0] == pytest.approx(3 * visit, rel=0.15), "and the board's wait for a new one"


def test_a_booking_due_after_the_walk_in_is_called_changes_nothing_for_it(site):
    est = taught(site)
    alone, booked = office(site, busy=True), office(site, busy=True, booked=(30,))
    assert typical(est, booked)[walk_in(booked).number] == pytest.approx(typical(est, alone)[walk_in(alone).number])
    board = [est.estimate(q, at(NOW)).services["passport"]["staff"] for q in (alone, booked)]
    assert board[1] == pytest.approx(board[0]), "a new walk-in (called at 10:13) is not behind it either"


def test_a_new_walk_in_goes_before_a_booking_ranked_after_it_even_when_that_is_due_first(site):
    """Booked for 10:40, the booking ranks as of 10:10: due while the desk still has walk-ins, it still
    comes after a walk-in of 09:55, so that one's wait is the same as with nobody booked."""
    est = taught(site)
    queues = []
    for booked in ((), (40,)):
        q = office(site, busy=True, booked=booked)
        for i in range(5):
            q.issue("passport", at(NOW - 4 + 0.5 * i))  # about an hour's work ahead
        queues.append(q)
    waits = [est.estimate(q, at(NOW)).services["passport"]["staff"] for q in queues]
    assert waits[0] > 45 + 5 and waits[1] == pytest.approx(waits[0])


def test_a_held_booking_is_not_expected_before_its_time_and_the_third_of_three_later(site):
    """A free desk waits for the bookings of 10:00 and takes them one after the other from then on."""
    est = taught(site)
    visit = est.visits.per_call("passport", 15)
    q = office(site, busy=False, booked=(0, 0, 0), walk_in=False)
    waits = sorted(typical(est, q).values())
    assert waits == pytest.approx([-NOW, -NOW + visit, -NOW + 2 * visit], rel=0.05)
    promised = est.estimate(q, at(NOW)).tickets
    assert min(promised.values()) >= -NOW and max(promised.values()) >= -NOW + 2 * visit - 1
    assert all(promised[t.key] == not_before_booked(t, promised[t.key], at(NOW)) for t in q.held())


def test_the_queue_shows_held_bookings_with_their_own_estimates(site):
    """The retained queue (phones, staff pages): the third booking of 10:00 is not told 10:00."""
    est = taught(site)
    q = office(site, busy=False, booked=(0, 0, 0), walk_in=False)
    shown = views.queue_snapshot(q, est.estimate(q, at(NOW)), at(NOW)).tickets
    assert sorted(t.eta_min for t in shown)[0] >= -NOW and sorted(t.eta_min for t in shown)[2] >= -NOW + 15
    empty = views.queue_snapshot(q, Estimates(), at(NOW)).tickets  # before the first refresh
    assert [t.eta_min for t in empty] == [-NOW] * 3


def test_a_free_desk_takes_a_walk_in_before_bookings_not_yet_due(site):
    est = taught(site)
    visit = est.visits.per_call("passport", 15)
    q = office(site, busy=False, booked=(0, 0, 0))
    waits = typical(est, q)
    assert waits[walk_in(q).number] == 0
    assert sorted(waits[t.number] for t in q.held()) == pytest.approx([visit, 2 * visit, 3 * visit], rel=0.05)


def test_a_booking_for_one_desk_is_left_to_that_desk(site):
    """A booked desk that is open takes its booking alone: the walk-in of the same visit goes to the free
    desk at once, the booking waits for its desk (one kind of ticket for the simulation, not the same)."""
    est = taught(site)
    q = office(site, busy=False, booked=(-5,), desk="desk-3")  # booked for 09:55 at desk-3
    q.command("desk-3", "open", at(-60))
    q.issue("passport", at(-20))
    q.command("desk-3", "next", at(-10))  # before the booked time: busy about 5 more minutes at 09:55
    q.release(at(NOW))
    booking = [t for t in q.waiting() if t.booked_at][0]
    waits = typical(est, q)
    assert waits[booking.number] == pytest.approx(5, abs=1) and waits[walk_in(q).number] == 0


def busy_morning(site, seed: int) -> Queue:
    """A random queue at 09:55: walk-ins of the last half hour, a few desks busy, early bookings held."""
    rng = random.Random(seed)
    q = Queue(site)
    for desk in rng.sample(["desk-1", "desk-2", "desk-3", "room-1", "vol-1"], rng.randint(1, 4)):
        q.command(desk, "open", at(-90))
    booked = [rng.uniform(-4, 60) for _ in range(rng.randint(1, 5))]
    bookings = Bookings(site.appointments, [
        Booking(Appointment(f"20{i:02d}", at(m), rng.choice(["passport", "pension", "appointment"]),
                            rng.choice(["any", "any", "desk-1", "desk-3"])), f"s{i}") for i, m in enumerate(booked)])
    for i in range(rng.randint(3, 15)):
        q.issue(rng.choice(["passport", "mitid_learn", "moving", "appointment"]), at(-35 + 2 * i),
                preference=rng.choice(["any", "staff", "volunteer"]), extras=rng.choice([(), (), ("private",)]))
    for desk in [d.id for d in q.desks.values() if d.status == "open" and rng.random() < 0.6]:
        q.command(desk, "next", at(rng.uniform(-12, -6)))
    for i, _ in enumerate(booked):
        issue_booked(q, bookings, at(-10), "reception", code=f"20{i:02d}")
    return q


@pytest.mark.parametrize("seed", range(12))
def test_the_wait_shown_for_a_new_ticket_is_the_wait_it_gets_once_issued(site, seed):
    """The board's wait for a new ticket comes from the idle moments and held bookings' calls of one play
    (``Plan.phantom``); issuing that ticket and playing again must give it the same wait."""
    visits = [served(s, m) for s in ("passport", "mitid_learn", "moving", "pension", "appointment") for m in (6, 11)]
    board = taught(site, visits).estimate(busy_morning(site, seed), at(NOW)).services
    assert busy_morning(site, seed).held(), "some bookings are held"
    for service, kinds in board.items():
        for kind, shown in kinds.items():
            if shown is None:
                continue
            q = busy_morning(site, seed)
            choice = kind if site.services[service].citizen_chooses else "any"
            ticket, _ = q.issue(service, at(NOW), preference=choice)
            assert taught(site, visits).estimate_new(q, at(NOW), ticket).minutes == pytest.approx(shown), \
                (service, kind)
