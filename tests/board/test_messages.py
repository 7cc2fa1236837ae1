"""The board's two hub messages are parsed strictly: a bad one is refused with a reason."""
import json

import pytest

from reception import protocol
from reception.errors import MessageError
from tests.board.helpers import call, snapshot


def test_call_event_parses_number_desk_and_order():
    event = protocol.CallEvent.from_payload(json.dumps(call("A012", "vol-1", 17, "recall")))
    assert (event.type, event.number, event.desk, event.seq) == ("recall", "A012", "vol-1", 17)
    assert event.desk_name["da"] == "Frivillig 1"
    assert event.lang is None  # a hub that does not say: the board speaks its configured languages
    assert protocol.CallEvent.from_payload(json.dumps(call("A012", "vol-1", 17, lang="uk"))).lang == "uk"


def test_snapshot_parses_calls_waits_and_volunteer_hours():
    snap = protocol.BoardSnapshot.from_payload(json.dumps(snapshot(
        [call("C004", "desk-3", 2), call("A001", "vol-1", 1)], {"mitid_learn": (3, 5, 25)})))
    assert [c.number for c in snap.calls] == ["C004", "A001"]
    assert snap.services[0].eta_min == {"volunteer": 5, "staff": 25}
    assert snap.kinds["volunteer"].eta_min == 6
    assert snap.volunteers_until == "12:00"
    assert protocol.BoardSnapshot.from_payload(json.dumps(snapshot(languages=["da", "uk", "uk"]))).languages == ("da", "uk")


@pytest.mark.parametrize("change,reason", [
    ({"number": "12"}, "ticket number"),
    ({"type": "shout"}, "must be one of"),
    ({"desk_name": {}}, "desk_name"),
    ({"seq": -1}, "negative"),
    ({"at": "yesterday"}, "ISO 8601"),
    ({"v": 2}, "version"),
    ({"lang": "--voice=x"}, "language code"),  # it becomes an espeak-ng argument
    ({"lang": 7}, "wrong type"),
])
def test_bad_call_event_is_refused_with_reason(change, reason):
    with pytest.raises(MessageError, match=reason):
        protocol.CallEvent.from_payload(json.dumps({**call("A012", "vol-1", 1), **change}))


@pytest.mark.parametrize("change,reason", [
    ({"volunteers_until": "noon"}, "volunteers_until"),
    ({"services": [{"service": "x", "letter": "A", "waiting": -3}]}, "negative"),
    ({"services": [{"service": "x", "letter": "A", "waiting": 1, "eta_min": {"staff": "soon"}}]}, "minutes"),
    ({"kinds": {"robot": {"open": 1, "waiting": 0}}}, "bad entry"),
    ({"calls": [{"number": "A012"}]}, "missing"),
    ({"languages": ["uk", "Ukrainian"]}, "languages"),
    ({"languages": "uk"}, "wrong type"),
])
def test_bad_snapshot_is_refused_with_reason(change, reason):
    with pytest.raises(MessageError, match=reason):
        protocol.BoardSnapshot.from_payload(json.dumps({**snapshot(), **change}))
