"""Every message type of the contract reads back what it writes: ``X.from_payload(x.to_payload()) == x``.

One Hypothesis strategy per message type builds any value the contract allows; the test
fails for a message type without one, so a new message cannot skip its round trip.
"""
import dataclasses
import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reception import protocol as p

ids = st.from_regex(p.ID_RE, fullmatch=True)
segments = st.from_regex(p.SEGMENT_RE, fullmatch=True)
numbers = st.from_regex(p.NUMBER_RE, fullmatch=True)
langs = st.from_regex(p.LANG_RE, fullmatch=True)
texts = st.text(min_size=1, max_size=40).filter(str.isprintable)
counts = st.integers(0, p.MAX_COUNT)
minutes = st.none() | st.integers(0, 10_000)
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
times = st.builds(lambda naive, tz: naive.replace(tzinfo=tz),
                  st.datetimes(datetime(2000, 1, 2), datetime(2099, 12, 30)), offsets)


def maybe(strategy):
    return st.none() | strategy


def codes(allowed):
    return st.lists(st.sampled_from(allowed), unique=True).map(tuple)


tokens = maybe(st.from_regex(p.TOKEN_RE, fullmatch=True))
bookings = st.from_regex(p.BOOKING_RE, fullmatch=True)
slots = st.from_regex(p.SLOT_RE, fullmatch=True)
check_in = st.fixed_dictionaries({}, optional={"booking": bookings}) | st.fixed_dictionaries({}, optional={"slot": slots})
online_request = st.builds(lambda request, appointment: dataclasses.replace(request, **appointment),
                           st.builds(p.TicketRequest, ids, segments, st.sampled_from(p.PREFERENCES), codes(p.EXTRAS),
                                     maybe(st.booleans()), langs, sent_at=maybe(times), token=tokens), check_in)
hand_over = st.builds(p.TicketRequest, ids, segments, st.sampled_from(p.PREFERENCES), codes(p.EXTRAS),
                      maybe(st.booleans()), langs, offline_number=numbers, issued_at=times, replaces=maybe(ids),
                      sent_at=maybe(times), token=tokens)
no_fields = st.builds(p.DeskCommand, ids, st.sampled_from([a for a in p.DESK_ACTIONS if a not in ("call", "transfer")]))
call = st.builds(p.DeskCommand, ids, st.just("call"), ticket=numbers)
transfer = st.builds(p.DeskCommand, ids, st.just("transfer"), service=maybe(segments),
                     to_kind=st.sampled_from(p.DESK_KINDS)) | st.builds(p.DeskCommand, ids, st.just("transfer"),
                                                                         service=segments)
issued = st.builds(p.IssuedTicket, numbers, segments, st.sampled_from(p.PREFERENCES), times, maybe(counts), minutes,
                   st.booleans(), maybe(times), maybe(st.sampled_from(p.WALK_IN_REASONS)))
waited = st.floats(0, 1e6, allow_nan=False)
next_ticket = st.builds(p.TicketAtDesk, numbers, segments, waited, codes(p.EXTRAS))
current_ticket = st.builds(p.TicketAtDesk, numbers, segments, waited, codes(p.EXTRAS),
                           st.sampled_from(p.TICKET_STATES), maybe(times), counts, maybe(times), counts,
                           maybe(st.booleans()))
desk_names = st.dictionaries(langs, texts, min_size=1, max_size=3)
call_event = st.builds(p.CallEvent, st.sampled_from(p.CALL_TYPES), numbers, segments, desk_names, times, counts,
                       maybe(langs))
service_wait = st.builds(p.ServiceWait, segments, st.from_regex("[A-Z]", fullmatch=True), counts,
                         st.dictionaries(st.sampled_from(p.DESK_KINDS), minutes))
kind_waits = st.dictionaries(st.sampled_from(p.DESK_KINDS), st.builds(p.KindWait, counts, counts, minutes))
count_tree = st.recursive(st.integers(0, 10**6) | st.floats(0, 1e6), lambda inner: st.dictionaries(
    texts.filter(lambda k: len(k) <= 64), inner, max_size=3), max_leaves=6)
sections = st.fixed_dictionaries({s: st.dictionaries(segments, count_tree, max_size=3) for s in p.STATS_SECTIONS})


def aggregate(site, day, counted, extra):
    return {"site": site, "day": day, **counted, **extra}


aggregates = st.builds(aggregate, segments, st.dates().map(lambda d: d.isoformat()), sections,
                       st.fixed_dictionaries({}, optional={"site_name": texts, "weekday": texts,
                                                           "appointments": st.dictionaries(segments, count_tree,
                                                                                           max_size=3),
                                                           "names": st.dictionaries(segments, texts, max_size=3)}))
live = st.builds(p.LiveFigures, counts, counts, maybe(st.floats(0, 1e6)))

STRATEGIES = {
    p.TicketRequest: online_request | hand_over,
    p.TicketFirstVisit: st.builds(p.TicketFirstVisit, ids, numbers, st.booleans()),
    p.DeskCommand: no_fields | call | transfer,
    p.KioskStatus: st.builds(p.KioskStatus, st.sampled_from(p.PRINTER_STATES), counts),
    p.Feedback: st.builds(p.Feedback, ids, st.integers(1, 5), codes(p.FEEDBACK_TAGS), maybe(segments), maybe(times)),
    p.Availability: st.builds(p.Availability, st.sampled_from(p.AVAILABILITY)),
    p.TicketReply: st.builds(p.TicketReply.issued, ids, issued) | st.builds(p.TicketReply.refused, ids, texts),
    p.DeskResult: st.builds(p.DeskResult, ids, st.sampled_from(p.DESK_ACTIONS), st.just(True),
                            ticket=maybe(numbers))
    | st.builds(p.DeskResult, ids, st.sampled_from(p.DESK_ACTIONS), st.just(False), texts),
    p.DeskState: st.builds(p.DeskState, segments, st.sampled_from(p.DESK_STATUSES), maybe(current_ticket),
                           st.lists(next_ticket, max_size=5).map(tuple), counts, times,
                           maybe(st.sampled_from(p.DESK_KINDS))),
    p.Alerts: st.builds(p.Alerts, st.lists(st.builds(p.Alert, st.from_regex(p.DEVICE_RE, fullmatch=True),
                                                     st.sampled_from(p.ALERT_PROBLEMS), maybe(times)),
                                           max_size=4).map(tuple), maybe(times)),
    p.CallEvent: call_event,
    p.BoardSnapshot: st.builds(p.BoardSnapshot, times, st.lists(call_event, max_size=4).map(tuple),
                               st.lists(service_wait, max_size=4).map(tuple), kind_waits,
                               maybe(st.from_regex(r"\d{2}:\d{2}", fullmatch=True)),
                               maybe(st.lists(langs, max_size=16, unique=True).map(tuple))),
    p.QueueSnapshot: st.builds(p.QueueSnapshot, times, st.lists(st.builds(p.QueuedTicket, numbers, segments, counts,
                                                                          minutes), max_size=5).map(tuple)),
    p.TicketLinks: st.builds(p.TicketLinks, times, *[st.lists(st.builds(
        p.TicketLink, st.from_regex(p.TOKEN_HASH_RE, fullmatch=True), numbers, langs, times), max_size=4).map(tuple)] * 2),
    p.NearEvent: st.builds(p.NearEvent, ids, numbers, segments, st.integers(1, 99), langs, times),
    p.AppointmentSlots: st.builds(p.AppointmentSlots, times, st.lists(st.builds(p.AppointmentSlot, slots, times,
                                                                                segments), max_size=5).map(tuple)),
    p.AppointmentImport: st.builds(p.AppointmentImport, ids, segments, texts,
                                   st.lists(st.builds(p.BookedVisit, bookings, times, segments, segments),
                                            min_size=1, max_size=5).map(tuple),
                                   st.lists(texts, max_size=3).map(tuple)),
    p.ImportResult: st.builds(p.ImportResult, ids, st.just(True),
                              st.lists(st.builds(p.ImportedDay, st.dates().map(str), counts, counts, counts, counts,
                                                 counts), max_size=3).map(tuple))
    | st.builds(p.ImportResult.refused, ids, texts),
    p.DailyStatsMessage: st.builds(lambda agg, figures, at, final: p.DailyStatsMessage.of(agg, figures, at,
                                                                                          final=final),
                                   aggregates, live, times, st.booleans()),
}
MESSAGE_TYPES = p.Message.__subclasses__()


def test_every_message_type_has_a_strategy():
    assert set(MESSAGE_TYPES) == set(STRATEGIES)


@pytest.mark.parametrize("kind", MESSAGE_TYPES, ids=lambda kind: kind.__name__)
def test_every_message_type_round_trips(kind):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(STRATEGIES[kind])
    def round_trip(message):
        payload = message.to_payload()
        assert kind.from_payload(payload) == message
        assert kind.from_payload(json.loads(payload)) == message  # the decoded object reads the same
    round_trip()
