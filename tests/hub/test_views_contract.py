"""What the hub publishes fits the strict contract its readers apply.

The parsers refuse unknown fields, so a field added to a view without adding it to
``reception.protocol`` (and docs/protocol.md) would make every device ignore the hub.
This test builds each view from a real queue mid-visit and parses it.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub import alerts, views
from hub.core.estimate import default_estimator
from hub.core.queue import Queue
from hub.daily_stats import DailyStats
from hub.stats import day_aggregate
from reception import protocol

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))  # a Tuesday, volunteers in


def parsed(parse, message: protocol.Message):
    return parse(message.to_payload())


def test_every_view_of_a_busy_queue_parses(site):
    q = Queue(site)
    for minute, (service, extras) in enumerate([("passport", ("carer",)), ("moving", ()), ("mitid_learn", ())]):
        q.issue(service, T0 + timedelta(minutes=minute), extras=extras, kiosk="kiosk-1", first_visit=True)
    now = T0 + timedelta(minutes=5)
    effects = q.command("desk-1", "next", now)
    q.command("vol-1", "next", now)
    estimates = default_estimator(site).estimate(q, now)

    state = parsed(protocol.DeskState.from_payload, views.desk_state(site, q, "desk-1", now))
    assert state.current is not None and state.current.extras == ("carer",)
    event = effects.calls[0]
    call = views.call_event(site, event.kind, q.tickets[event.ticket].number, event.desk, event.at, 1, "uk")
    assert parsed(protocol.CallEvent.from_payload, call).number == state.current.number
    assert parsed(protocol.CallEvent.from_payload, call).lang == "uk"
    board = parsed(protocol.BoardSnapshot.from_payload, views.board_snapshot(site, q, estimates, [call], now))
    assert board.calls[0].desk == "desk-1"
    ticket = q.waiting()[0]
    reply = parsed(protocol.TicketReply.from_payload, protocol.TicketReply.issued("r-1", views.ticket_view(ticket, 12.5, 2)))
    assert reply.ticket.number == ticket.number
    assert parsed(protocol.Alerts.from_payload, views_of_alerts(now)).alerts == (
        protocol.Alert("kiosk-1", "paper_out", now), protocol.Alert("desk-1/console", "unreachable", now))
    aggregate = day_aggregate(site, "2026-11-24", list(q.tickets.values()), [], [], now)
    assert parsed(protocol.DailyStatsMessage.from_payload, DailyStats.payload(aggregate, now, final=False)).site == site.id


def views_of_alerts(now: datetime) -> protocol.Alerts:
    raised: dict[str, protocol.Alert] = {}
    alerts.printer(raised, "kiosk-1", "paper_out", now)
    alerts.availability(raised, "desk-1/console", "offline", now)
    return alerts.payload(raised, now)
