"""The messages a desk reads (result, state, alerts) are parsed strictly: bad ones raise MessageError."""
from __future__ import annotations

import json

import pytest

from reception import protocol
from reception.errors import MessageError

STATE = {"v": 1, "desk": "desk-1", "kind": "staff", "status": "open", "waiting": 7, "at": "2026-11-25T10:07:00+01:00",
         "current": {"number": "A012", "service": "mitid_learn", "state": "called", "issued_at": "2026-11-25T10:00:00+01:00",
                     "called_at": "2026-11-25T10:07:00+01:00", "waited_min": 7.5, "extras": ["carer"], "recalls": 1},
         "next": [{"number": "C003", "service": "passport", "waited_min": 4.0, "extras": []}]}


def raw(data: dict) -> bytes:
    return json.dumps(data).encode()


def test_desk_state_parsed():
    state = protocol.DeskState.from_payload(raw(STATE))
    assert (state.status, state.waiting, state.current.number, state.current.state) == ("open", 7, "A012", "called")
    assert state.current.extras == ("carer",) and state.current.recalls == 1
    assert [t.number for t in state.next] == ["C003"]


@pytest.mark.parametrize("change, reason", [
    ({"status": "sleeping"}, "status"),
    ({"current": {**STATE["current"], "number": "12"}}, "number"),
    ({"current": {**STATE["current"], "extras": ["cpr"]}}, "extra"),
    ({"next": [{"number": "C003"}]}, "service"),
    ({"at": "yesterday"}, "at"),
    ({"v": 2}, "version"),
])
def test_bad_desk_state_rejected(change, reason):
    with pytest.raises(MessageError, match=reason):
        protocol.DeskState.from_payload(raw({**STATE, **change}))


def test_desk_result_and_alerts():
    result = protocol.DeskResult.from_payload(protocol.DeskResult("c1", "next", False, "nobody waiting").to_payload())
    assert (result.id, result.ok, result.error) == ("c1", False, "nobody waiting")
    alerts = protocol.Alerts.from_payload(raw({"v": 1, "alerts": [{"device": "kiosk-1", "problem": "paper_out"}]}))
    assert [(a.device, a.problem) for a in alerts.alerts] == [("kiosk-1", "paper_out")]
    with pytest.raises(MessageError):
        protocol.DeskResult.from_payload(raw({"v": 1, "id": "c1", "action": "explode", "ok": True}))
