"""Property tests of the contract's parsers: whatever arrives, the only exception is MessageError.

Arbitrary bytes, arbitrary JSON and valid messages with one part changed at random go
through every message type's ``from_payload``; each either returns or raises ``MessageError`` with a
reason of one short line.
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub import alerts, guard
from reception import config, protocol
from reception.errors import MessageError
from reception.protocol.wire import MAX_REASON
from tests.conftest import EXAMPLE_CONFIG

SITE = config.load(EXAMPLE_CONFIG)

AT = "2026-12-05T10:00:00+01:00"
CALL = {"type": "call", "number": "C001", "desk": "desk-1", "desk_name": {"da": "Skranke 1"}, "at": AT, "seq": 1}
TICKET = {"number": "C001", "service": "passport", "preference": "staff", "ahead": 0, "eta_min": None,
          "issued_at": AT, "offline": False, "booked_at": AT}
AGGREGATE = {"site": "toender", "site_name": "Tønder", "day": "2026-12-05", "weekday": "lør",
             "names": {"passport": "Pas"}, "reasons": {"passport": {"visits": 1, "wait": {"3": 1}}},
             "kinds": {"staff": {"served": 1}}, "hours": {"9": {"arrivals": 1}}, "transfers": {},
             "feedback": {}}
VALID = {  # one valid message per parser, as the devices and the hub send them
    protocol.TicketRequest.from_payload: {"id": "r-1", "service": "passport", "preference": "any", "extras": ["carer"],
                                    "first_visit": True, "lang": "da", "offline_number": "C901",
                                    "issued_at": AT, "replaces": "r-0", "token": "3q2-7wB1kZ8pN0cXyVfL4g"},
    protocol.AppointmentSlots.from_payload: {"at": AT, "slots": [{"slot": "q7Rk2mXw9aLc", "at": AT,
                                                                  "service": "passport"}]},
    protocol.AppointmentImport.from_payload: {"id": "imp-1", "by": "booking", "file": "day.csv", "left_out": ["names"],
                                              "appointments": [{"code": "4711", "at": AT, "service": "passport",
                                                                "desk": "any"}]},
    protocol.ImportResult.from_payload: {"id": "imp-1", "ok": True, "days": [
        {"day": "2026-12-05", "added": 1, "changed": 0, "removed": 0, "unchanged": 0, "kept": 0}]},
    protocol.TicketFirstVisit.from_payload: {"id": "fv-1", "number": "C001", "first_visit": False},
    protocol.DeskCommand.from_payload: {"id": "c-1", "action": "transfer", "service": "mitid_get", "to_kind": "staff"},
    protocol.KioskStatus.from_payload: {"printer": "paper_low", "outbox": 2},
    protocol.Feedback.from_payload: {"id": "fb-1", "score": 4, "tags": ["kind"], "service": "passport", "at": AT},
    protocol.Availability.from_payload: {"status": "offline"},
    protocol.DailyStatsMessage.from_payload: {**AGGREGATE, "at": AT, "final": False,
                                 "live": {"waiting": 2, "served": 1, "avg_wait_min": 3.5}},
    protocol.CallEvent.from_payload: CALL,
    protocol.BoardSnapshot.from_payload: {"at": AT, "calls": [CALL],
                                    "services": [{"service": "passport", "letter": "C", "waiting": 1,
                                                  "eta_min": {"staff": 5, "volunteer": None}}],
                                    "kinds": {"staff": {"open": 1, "waiting": 1, "eta_min": 5}},
                                    "volunteers_until": "12:00"},
    protocol.TicketReply.from_payload: {"id": "r-1", "ok": True, "ticket": TICKET},
    protocol.DeskResult.from_payload: {"id": "c-1", "action": "next", "ok": False, "error": "nobody waiting"},
    protocol.DeskState.from_payload: {"desk": "desk-1", "kind": "staff", "status": "open",
                                "current": {"number": "C001", "service": "passport", "state": "called",
                                            "issued_at": AT, "called_at": AT, "waited_min": 0.4, "extras": [],
                                            "recalls": 0, "transfers": 0, "first_visit": True},
                                "next": [{"number": "F002", "service": "moving", "waited_min": 3.1,
                                          "extras": ["carer"]}], "waiting": 1, "at": AT},
    protocol.Alerts.from_payload: {"at": AT, "alerts": [{"device": "desk-1/console", "problem": "unreachable",
                                                  "since": AT}]},
    protocol.QueueSnapshot.from_payload: {"at": AT, "tickets": [{"number": "F002", "service": "moving", "ahead": 0,
                                                               "eta_min": 4}]},
    protocol.TicketLinks.from_payload: {"at": AT, "tickets": [{"hash": "ab" * 32, "number": "C001", "lang": "uk",
                                                             "expires": "2026-12-06T00:00:00+01:00"}],
                                        "finished": [{"hash": "cd" * 32, "number": "C000", "lang": "da",
                                                      "expires": "2026-12-06T00:00:00+01:00"}]},
    protocol.NearEvent.from_payload: {"id": "near:2026-12-05:C001", "number": "C001", "service": "passport",
                                      "position": 3, "lang": "da", "at": AT},
}
PARSERS = list(VALID)
ids = [p.__self__.__name__ for p in PARSERS]

scalars = (st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=30) | st.sampled_from(["", "ok", "C001", AT, "passport", "desk-1", "staff"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)
fast = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(parse, raw) -> None:
    """Parse; a refusal must be a MessageError whose reason is one short line."""
    try:
        parse(raw)
    except MessageError as exc:
        reason = str(exc)
        assert reason and len(reason) <= MAX_REASON and "\n" not in reason, reason


def test_every_message_type_has_a_sample():
    assert {parse.__self__ for parse in PARSERS} == set(protocol.Message.__subclasses__())


@pytest.mark.parametrize("parse", PARSERS, ids=ids)
def test_every_sample_is_valid(parse):
    parse(protocol.encode(VALID[parse]))


@pytest.mark.parametrize("parse", PARSERS, ids=ids)
@fast
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes(parse, raw):
    outcome(parse, raw)


@pytest.mark.parametrize("parse", PARSERS, ids=ids)
@fast
@given(value=json_values)
def test_arbitrary_json(parse, value):
    outcome(parse, json.dumps(value))
    if isinstance(value, dict):
        outcome(parse, protocol.encode(value))


def paths(value, prefix=()):
    """Every place in a message: keys of objects and indexes of lists, at any depth."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield prefix + (key,)
        yield from paths(child, prefix + (key,))


def changed(message, path, new, how: str):
    message = json.loads(json.dumps(message))
    *parents, last = path
    holder = message
    for step in parents:
        holder = holder[step]
    if how == "delete":
        del holder[last]
    elif how == "add" and isinstance(holder, dict):
        holder[f"{last}_extra"] = new
    else:
        holder[last] = new
    return message


@pytest.mark.parametrize("parse", PARSERS, ids=ids)
@fast
@given(data=st.data(), new=json_values, how=st.sampled_from(["replace", "delete", "add"]))
def test_a_valid_message_with_one_part_changed(parse, data, new, how):
    message = {"v": 1, **VALID[parse]}
    path = data.draw(st.sampled_from(list(paths(message))))
    outcome(parse, json.dumps(changed(message, path, new, how)))


@fast
@given(topic=st.text(max_size=80) | st.lists(st.sampled_from(["reception", "toender", "kiosk", "desk", "board", "hub",
                                                              "kiosk-1", "+", "", "available", "x" * 40]),
                                             max_size=6).map("/".join))
def test_arbitrary_topics(topic):
    outcome(protocol.parse_topic, topic)


@fast
@given(segments=st.lists(st.sampled_from(["kiosk", "desk", "board", "kiosk-1", "kiosk-99", "desk-1", "board-1",
                                          "console", "toaster", "available", "ticket", "request", "", "K" * 40]),
                         max_size=4),
       payload=st.binary(max_size=50) | st.just(b"x" * 5000))
def test_the_hubs_first_check_of_any_message(segments, payload):
    """``hub.guard`` and ``hub.alerts.device_name`` on whatever topic the hub's filters could match."""
    try:
        where = guard.check(SITE, "/".join(["reception", "toender", *segments]), payload)
        if where.feature.endswith("available"):
            alerts.device_name(where)
    except MessageError as exc:
        assert len(str(exc)) <= MAX_REASON and "\n" not in str(exc)
