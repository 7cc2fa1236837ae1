"""The contract's two insight messages: a kiosk's feedback answer and a site's daily statistics."""
import json
from datetime import datetime, timezone

import pytest

from reception import protocol
from reception.errors import MessageError
from hub import stats
from hub.daily_stats import DailyStats


def feedback(**fields):
    return json.dumps({"v": 1, "id": "a1", "score": 3, **fields})


def test_feedback_takes_a_face_fixed_reasons_and_an_optional_visit_reason():
    answer = protocol.Feedback.from_payload(feedback(score=5, tags=["kind", "got_help", "kind"], service="passport",
                                              at="2026-11-25T10:00:00+01:00"))
    assert (answer.score, answer.tags, answer.service) == (5, ("kind", "got_help"), "passport")
    assert answer.at == datetime(2026, 11, 25, 9, tzinfo=timezone.utc)
    assert protocol.Feedback.from_payload(feedback()).tags == ()


@pytest.mark.parametrize("fields, reason", [
    ({"score": 0}, "1 to 5"), ({"score": 6}, "1 to 5"), ({"score": "5"}, "wrong type"), ({"score": True}, "wrong type"),
    ({"tags": ["my name is Jens"]}, "unknown feedback reason"), ({"tags": "kind"}, "wrong type"),
    ({"id": ""}, "must not be empty"), ({"id": "a b"}, "1-64 letters"), ({"at": "yesterday"}, "ISO 8601"),
    ({"at": "2026-11-25T10:00:00"}, "UTC offset"),
])
def test_feedback_that_does_not_fit_is_refused_with_a_reason(fields, reason):
    with pytest.raises(MessageError, match=reason):
        protocol.Feedback.from_payload(feedback(**fields))


@pytest.fixture
def published(site):
    """A day as the hub publishes it on stats/daily (encoded through the contract)."""
    aggregate = stats.day_aggregate(site, "2026-11-24", [], [], [{"score": 4, "tags": "kind", "service": None}],
                                    datetime(2026, 11, 24, 12, tzinfo=timezone.utc))
    return json.loads(DailyStats.payload(aggregate, datetime(2026, 11, 24, 12, tzinfo=timezone.utc), final=False)
                      .to_payload())


def test_daily_statistics_round_trip_through_the_contract(published):
    message = protocol.DailyStatsMessage.from_payload(protocol.encode(published))
    assert (message.site, message.day, message.final) == ("toender", "2026-11-24", False)
    assert message.live == protocol.LiveFigures(waiting=0, served=0, avg_wait_min=None)
    assert message.aggregate["feedback"] == {"-": {"scores": {"4": 1}, "tags": {"kind": 1}}}
    assert set(message.aggregate) == {"site", "site_name", "day", "weekday", "names", *protocol.STATS_SECTIONS,
                                      "appointments"}
    assert message.aggregate["site_name"] == "Borgerservice Tønder"


@pytest.mark.parametrize("change, reason", [
    ({"day": "24.11.2026"}, "not a date"), ({"site": "Tønder"}, "not an id"),
    ({"reasons": {"passport": {"visits": -2}}}, "must be a count"),
    ({"reasons": {"passport": {"visits": "many"}}}, "must be a count"),
    ({"hours": {"9": {"note": "Jens came at 9"}}}, "must be a count"),
    ({"kinds": {"staff": {"a": {"b": {"c": {"d": 1}}}}}}, "must be a count"),  # no deeper than an aggregate goes
    ({"live": {"waiting": 1}}, "missing field 'served'"), ({"feedback": None}, "missing field 'feedback'"),
])
def test_daily_statistics_that_do_not_fit_are_refused(published, change, reason):
    with pytest.raises(MessageError, match=reason):
        protocol.DailyStatsMessage.from_payload(protocol.encode({**published, **change}))
