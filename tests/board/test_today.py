"""The board's "today" page: the hub's live figures of the day (served so far, waiting now).

First the pure page (``display_board.info``), then the real board app under Xvfb fed a
retained ``stats/daily`` through the package's Mosquitto (``conftest.py``).
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from display_board import info
from reception import protocol
from tests.board.conftest import SITE, TOPICS
from tests.board.helpers import daily_stats, parsed_daily_stats
from tests.board.screen import pump

TUESDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=SITE.tz)  # the board fixture's clock


@pytest.mark.parametrize("lang,lines", [
    ("da", ("Betjent i dag: 48", "Venter nu: 12")),
    ("en", ("Served today: 48", "Waiting now: 12")),
    ("de", ("Heute bedient: 48", "Jetzt wartend: 12")),
    ("uk", ("Обслуговано сьогодні: 48", "Зараз чекають: 12")),
])
def test_todays_figures_show_in_each_board_language(lang, lines):
    page = info.today_page(SITE, TUESDAY_MORNING, parsed_daily_stats(SITE, "2026-11-24", 12, 48, 14.4), lang)
    assert page == info.InfoPage({"da": "I dag", "en": "Today", "de": "Heute", "uk": "Сьогодні"}[lang], lines)


def test_no_average_wait_beside_the_rows_expected_waits():
    """An average of the day so far ("4 min") beside the rows' "59 min" reads as a contradiction."""
    page = info.today_page(SITE, TUESDAY_MORNING, parsed_daily_stats(SITE, "2026-11-24", 3, 40, 4.0), "en")
    assert page.lines == ("Served today: 40", "Waiting now: 3")


@pytest.mark.parametrize("day,now", [
    ("2026-11-23", TUESDAY_MORNING),  # yesterday's retained figures, the hub not publishing yet
    ("2026-11-24", datetime(2026, 11, 25, 0, 15, tzinfo=SITE.tz)),  # past local midnight
    ("2026-11-25", TUESDAY_MORNING),  # a hub whose clock runs ahead
])
def test_figures_of_another_local_day_are_not_shown(day, now):
    stats = parsed_daily_stats(SITE, day, 12, 48, 14.4)
    assert info.today_page(SITE, now, stats, "da") is None
    assert info.rotation(SITE, now, ("da", "en"), stats) == info.rotation(SITE, now, ("da", "en"))


@pytest.mark.parametrize("last_second", [
    "2026-12-31T23:59:59+01:00",  # New Year's Eve
    "2026-10-25T23:59:59+01:00",  # the end of the 25-hour day (22:59:59 UTC)
    "2027-03-28T23:59:59+02:00",  # the end of the 23-hour day (21:59:59 UTC)
])
def test_the_days_figures_leave_the_board_at_local_midnight(last_second):
    before = datetime.fromisoformat(last_second).astimezone(timezone.utc)  # the board's clock, read in UTC
    stats = parsed_daily_stats(SITE, last_second[:10], 12, 48, 14.4)
    assert info.today_page(SITE, before, stats, "en").lines[0] == "Served today: 48"
    assert info.today_page(SITE, before + timedelta(seconds=1), stats, "en") is None


def test_no_figures_or_only_zeros_or_switched_off_means_no_page():
    todays = parsed_daily_stats(SITE, "2026-11-24", 12, 48, 14.4)
    switched_off = replace(SITE, board=replace(SITE.board, today_figures=False))
    assert info.today_page(SITE, TUESDAY_MORNING, None, "da") is None
    assert info.today_page(SITE, TUESDAY_MORNING, parsed_daily_stats(SITE, "2026-11-24", 0, 0, None), "da") is None
    assert info.today_page(switched_off, TUESDAY_MORNING, todays, "da") is None


def test_the_page_takes_its_turn_in_both_board_languages():
    without = info.rotation(SITE, TUESDAY_MORNING, ("da", "en"))
    todays = parsed_daily_stats(SITE, "2026-11-24", 12, 48, 14.4)
    with_today = info.rotation(SITE, TUESDAY_MORNING, ("da", "en"), todays)
    added = [page for page in with_today if page not in without]
    assert [page.title for page in added] == ["I dag", "Today"]


# -- the real board ----------------------------------------------------------

def info_texts(app) -> set[str]:
    """Every information page the screen shows over one full rotation, as "title: lines"."""
    seen = set()
    for page in range(12):
        app.screen.show_time(app.now() + timedelta(seconds=page * SITE.board.info_rotate_seconds))
        seen.add(f"{app.screen.info_title}: {app.screen.info}")
    return seen


def test_a_retained_stats_message_puts_todays_page_on_the_board(board, board_mqtt, caplog):
    hub = board_mqtt[1]
    hub.publish(TOPICS.stats_daily, protocol.encode(daily_stats(SITE, "2026-11-24", 12, 48, 14.4)), retain=True)
    try:
        # this message, not one an earlier test left on the screen
        assert pump(lambda: board.screen.today is not None and board.screen.today.live.served == 48, 10), \
            "the stats message never reached the board"
        board.screen.show(replace(board.model.view(), languages=("en",)))  # someone with an English ticket waits
        shown = info_texts(board)
        assert "I dag: Betjent i dag: 48\nVenter nu: 12" in shown
        assert "Today: Served today: 48\nWaiting now: 12" in shown

        caplog.set_level(logging.WARNING, "reception.mqtt")
        before = board.screen.today
        hub.publish(TOPICS.stats_daily, protocol.encode(daily_stats(SITE, "2026-11-24", -1, 99, 3.0)), retain=True)
        assert pump(lambda: any("ignored" in r.getMessage() and "stats/daily" in r.getMessage()
                                for r in caplog.records), 5)
        assert board.screen.today is before
        board.screen.show(replace(board.model.view(), languages=("en",)))
        assert info_texts(board) == shown
    finally:
        hub.publish(TOPICS.stats_daily, b"", retain=True)  # clear the retained message for later tests
        board.redraw()
