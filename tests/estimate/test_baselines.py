"""Each textbook predictor against its definition, on queues small enough to work out by hand."""
import pytest

from hub.core.queue import Queue
from hub.simulation import baselines

from .helpers import at, served


@pytest.fixture
def q(site):
    queue = Queue(site)
    for desk in ("desk-1", "desk-2"):
        queue.command(desk, "open", at(-30))
    return queue


def taught(site, cls):
    """A predictor that has seen a 6 and a 10 minute passport visit: mean visit 8 minutes."""
    p = cls(site)
    p.observe(served("passport", 6))
    p.observe(served("passport", 10))
    return p


def busy_desks_with_three_waiting(q):
    for i in range(2):
        q.issue("passport", at(-20 + i))
    q.command("desk-1", "next", at(-15))
    q.command("desk-2", "next", at(-14))
    for i in range(3):
        q.issue("passport", at(-10 + i))
    return q.issue("passport", at(0))[0]


def predict(site, cls, q, ticket, now=0):
    return taught(site, cls).estimate_new(q, at(now), ticket)


def test_queue_length_is_people_ahead_plus_one_times_mean_over_desks(site, q):
    ticket = busy_desks_with_three_waiting(q)
    assert predict(site, baselines.QueueLength, q, ticket) == (pytest.approx((3 + 1) * 8 / 2), 3)


def test_queue_length_is_zero_when_a_desk_is_free_and_nobody_is_ahead(site, q):
    ticket, _ = q.issue("passport", at(0))
    assert predict(site, baselines.QueueLength, q, ticket)[0] == 0


def test_slot_formula_is_positions_ahead_times_site_handling_time_over_staffed_desks(site, q):
    ticket = busy_desks_with_three_waiting(q)
    assert predict(site, baselines.SlotFormula, q, ticket)[0] == pytest.approx(3 * 8 / 2)


def test_class_aware_queue_length_counts_only_work_for_the_same_desks(site, q):
    q.command("vol-1", "open", at(-30))
    ticket = busy_desks_with_three_waiting(q)
    q.issue("mitid_learn", at(-5), preference="volunteer")  # goes to the volunteer, not in the way
    p = taught(site, baselines.ClassQueueLength)
    # 3 passports ahead (8 min each) + one visit of those at the two desks (8), over 2 desks.
    assert p.estimate_new(q, at(0), ticket)[0] == pytest.approx((3 * 8 + 8) / 2)


def test_les_is_the_wait_of_the_last_ticket_called_and_per_reason_of_its_reason(site, q):
    q.issue("moving", at(-20))
    q.issue("passport", at(-18))
    q.command("desk-1", "next", at(-10))  # moving waited 10
    q.command("desk-2", "next", at(-8))  # passport waited 10... at -8 after -18: 10
    q.issue("moving", at(-7))
    q.command("desk-2", "next", at(-4))  # moving waited 3, called last
    ticket, _ = q.issue("passport", at(0))
    assert predict(site, baselines.LastToEnterService, q, ticket)[0] == pytest.approx(3)
    assert predict(site, baselines.LastToEnterServiceByReason, q, ticket)[0] == pytest.approx(10)


def test_smoothed_les_weights_recent_calls_by_a_third(site, q):
    q.issue("passport", at(-30))
    q.command("desk-1", "next", at(-20))  # waited 10
    q.issue("passport", at(-25))
    q.command("desk-2", "next", at(-5))  # waited 20
    ticket, _ = q.issue("passport", at(0))
    assert predict(site, baselines.SmoothedLastToEnterService, q, ticket)[0] == pytest.approx(0.3 * 20 + 0.7 * 10)


def test_hol_is_how_long_the_first_in_line_for_the_same_desks_has_waited(site, q):
    ticket = busy_desks_with_three_waiting(q)  # first of the three waiting came at -10
    q.command("vol-1", "open", at(-30))
    q.issue("mitid_learn", at(-25), preference="volunteer")  # older, but not in this line
    assert predict(site, baselines.HeadOfLine, q, ticket)[0] == pytest.approx(10)


def test_no_open_desk_means_no_estimate(site):
    q = Queue(site)
    ticket, _ = q.issue("passport", at(0))
    for cls in baselines.BASELINES.values():
        assert cls(site).estimate_new(q, at(0), ticket)[0] is None
