"""The alerts staff see: raised and cleared by fixed codes, each once, whatever order they come in."""
from datetime import datetime, timezone

import pytest

from hardware.console import ALERT_WORDS, ConsoleView, render
from hub import alerts
from reception import protocol
from reception.errors import MessageError

T0 = datetime(2026, 12, 5, 10, tzinfo=timezone.utc)


def test_a_device_gone_without_a_word_is_unreachable_until_it_is_back_or_stopped():
    raised: dict[str, protocol.Alert] = {}
    assert alerts.availability(raised, "board-1", "online", T0) is False  # nothing to say
    assert alerts.availability(raised, "board-1", "offline", T0) is True
    assert alerts.availability(raised, "board-1", "offline", T0.replace(hour=11)) is False  # raised once
    assert alerts.payload(raised, T0).alerts == (protocol.Alert("board-1", "unreachable", T0),)
    assert alerts.availability(raised, "board-1", "online", T0) is True and raised == {}
    alerts.availability(raised, "board-1", "offline", T0)
    assert alerts.availability(raised, "board-1", "stopped", T0) is True and raised == {}  # switched off on purpose
    alerts.availability(raised, "board-1", "offline", T0)
    assert alerts.availability(raised, "board-1", None, T0) is True and raised == {}  # retained status cleared


def test_a_kiosk_can_be_out_of_paper_and_unreachable_at_once():
    raised: dict[str, protocol.Alert] = {}
    alerts.printer(raised, "kiosk-1", "paper_out", T0)
    alerts.availability(raised, "kiosk-1", "offline", T0)
    assert sorted(a.problem for a in raised.values()) == ["paper_out", "unreachable"]
    assert alerts.printer(raised, "kiosk-1", "ok", T0) is True
    assert [a.problem for a in raised.values()] == ["unreachable"]


def test_the_device_of_an_available_topic():
    topic = lambda t: protocol.parse_topic(f"reception/toender/{t}")
    assert alerts.device_name(topic("kiosk/kiosk-1/available")) == "kiosk-1"
    assert alerts.device_name(topic("board/board-1/available")) == "board-1"
    assert alerts.device_name(topic("desk/desk-1/console/available")) == "desk-1/console"
    assert alerts.device_name(topic("web/available")) == "web"
    with pytest.raises(MessageError, match="unknown desk unit"):
        alerts.device_name(topic("desk/desk-1/toaster/available"))


def test_the_console_says_every_alert_code_in_plain_danish(site):
    assert set(ALERT_WORDS) == set(protocol.ALERT_PROBLEMS)
    view = ConsoleView(alerts=(protocol.Alert("kiosk-2", "unreachable", T0), protocol.Alert("kiosk-1", "paper_out")))
    screen = render(site, "desk-1", view)
    assert "! kiosk-2: svarer ikke (slukket eller uden net)" in screen and "! kiosk-1: mangler papir" in screen
    screen = render(site, "desk-1", ConsoleView(alerts=(protocol.Alert("web", "unreachable", T0),)))
    assert "! webtjenesten (personalets browsersider og borgernes telefonside): svarer ikke" in screen


def test_the_hubs_overload_alert_is_one_the_desk_consoles_read():
    sent: list[protocol.Alerts] = []
    hub_alerts = alerts.Alerts(sent.append)
    hub_alerts.overload("raised", T0)
    assert protocol.Alerts.from_payload(sent[-1].to_payload()).alerts == (protocol.Alert("hub", "overloaded", T0),)
    hub_alerts.overload("cleared", T0)
    assert protocol.Alerts.from_payload(sent[-1].to_payload()).alerts == ()
