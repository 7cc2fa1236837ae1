"""The board model: what the waiting room sees from the snapshot, live calls and the hub's availability."""
from datetime import datetime

import pytest

from display_board import info, wording
from display_board.model import BoardModel, ShownCall
from tests.board.helpers import call, parsed_call, parsed_snapshot


@pytest.fixture
def model(site):
    return BoardModel(site)


def numbers(view):
    return [view.latest.number] + [c.number for c in view.previous] if view.latest else []


def test_correct_at_once_from_the_retained_snapshot_alone(model):
    model.apply_snapshot(parsed_snapshot([call("C004", "desk-3", 3), call("A002", "vol-1", 2),
                                          call("B001", "desk-1", 1)], {"mitid_learn": (3, 5, 25)}))
    view = model.view()
    assert numbers(view) == ["C004", "A002", "B001"]
    assert view.latest.desk("da") == "Skranke 3"
    assert view.waits[0].letter == "A" and view.waits[0].waiting == 3
    assert view.waits[0].eta_min == {"volunteer": 5, "staff": 25}
    assert view.volunteers_until == "12:00"
    assert not view.offline


def test_live_calls_go_on_top_in_order_and_duplicates_are_ignored(model):
    for seq, number in enumerate(["A001", "C002", "B003"], 1):
        assert model.apply_call(parsed_call(number, "desk-1", seq))
    assert model.apply_call(parsed_call("B003", "desk-1", 3)) is None
    assert numbers(model.view()) == ["B003", "C002", "A001"]


def test_recall_shows_again_as_new_and_only_once(model):
    model.apply_call(parsed_call("A001", "vol-1", 1))
    model.apply_call(parsed_call("C002", "desk-2", 2))
    assert model.apply_call(parsed_call("A001", "vol-1", 3, "recall")).recall
    view = model.view()
    assert numbers(view) == ["A001", "C002"]
    assert view.latest.recall


def test_only_recent_calls_are_kept(model, site):
    for seq in range(1, 20):
        model.apply_call(parsed_call(f"C{seq:03d}", "desk-1", seq))
    view = model.view()
    assert len(view.previous) == site.board.recent_calls
    assert view.latest.number == "C019"


def test_a_snapshot_older_than_a_live_call_keeps_the_live_call_on_top(model):
    older = parsed_snapshot([call("A008", "vol-1", 8)])
    model.apply_call(parsed_call("C009", "desk-1", 9))
    model.apply_snapshot(older)
    assert numbers(model.view()) == ["C009", "A008"]


def test_a_newer_snapshot_replaces_what_was_shown(model):
    """A hub restarted on a fresh day publishes an empty list: yesterday's calls must go."""
    model.apply_call(parsed_call("C009", "desk-1", 9))
    model.apply_snapshot(parsed_snapshot([]))
    assert model.view().latest is None


def test_groups_add_counts_and_take_the_longest_wait(model):
    model.apply_snapshot(parsed_snapshot([], {"mitid_get": (2, False, 12), "passport": (4, False, 30),
                                              "driving_licence": (0, False, None)}))
    row = model.view().waits[1]
    assert row.letter == "B C D"
    assert row.name["da"] == "MitID, pas og kørekort"
    assert (row.waiting, row.eta_min) == (6, {"staff": 30})


def test_no_wait_shown_until_the_hub_reports_and_closed_when_no_desk_is_open(model):
    assert all(row.eta_min == {} for row in model.view().waits)
    model.apply_snapshot(parsed_snapshot([], {"appointment": (1, False, None)}))
    row = next(r for r in model.view().waits if r.letter == "H")
    assert row.eta_min == {"staff": None}
    assert wording.minutes_text(None, 1, "da") == "lukket nu"


@pytest.mark.parametrize("connected,status,offline", [
    (None, None, False), (True, "online", False), (True, "offline", True), (True, "stopped", True),
    (False, "online", True),
])
def test_offline_when_broker_lost_or_hub_not_online(model, connected, status, offline):
    if connected is not None:
        model.set_connected(connected)
    if status:
        model.set_hub_status(status)
    assert model.view().offline is offline


def test_a_shown_call_carries_a_number_and_a_desk_name_only():
    """The ticket's language (to announce it in) is the one thing more, and it is never shown."""
    assert set(ShownCall.__dataclass_fields__) == {"number", "desk_name", "seq", "at", "recall", "lang"}


def test_words_for_numbers_waits_and_dates():
    assert wording.spoken_number("A012") == "A 12"
    assert wording.minutes_text(0, 0, "en") == "no queue"
    assert wording.minutes_text(7, 2, "da") == "7 min"
    assert wording.date_text(datetime(2026, 11, 25), "da") == "onsdag 25. november 2026"
    for lang in ("da", "en", "de", "uk"):
        assert wording.has_language(lang)


@pytest.mark.parametrize("eta,waiting,shown", [
    ({}, 0, ""),  # the hub has not reported yet
    ({"staff": None}, 2, "lukket nu"),
    ({"staff": 18}, 4, "18 min"),
    ({"volunteer": None, "staff": 25}, 3, "25 min"),  # no volunteer in: only the staff wait
    ({"volunteer": 5, "staff": 25}, 3, "Frivillig 5 min\nPersonale 25 min"),
    ({"staff": 0}, 0, "ingen kø"),
])
def test_a_rows_wait_text(eta, waiting, shown):
    assert wording.wait_text(eta, waiting, "da") == shown


def test_next_sessions_follow_the_local_clock(site):
    tuesday_morning = datetime(2026, 11, 24, 11, 59, tzinfo=site.tz)
    page = info.sessions_page(site, tuesday_morning, "da")
    assert page.lines[0] == "I dag kl. 09:00-12:00: Her på rådhuset, Borgerservice"
    assert page.lines[1].startswith("I morgen kl. 10:00-12:00: IT-café")
    tuesday_noon = datetime(2026, 11, 24, 12, 0, tzinfo=site.tz)
    assert info.sessions_page(site, tuesday_noon, "en").lines[0].startswith("Tomorrow 10:00-12:00")


def test_opening_hours_join_days_with_the_same_hours(site):
    assert info.opening_hours_page(site, "da").lines == (
        "Mandag–onsdag 09:00-15:00", "Torsdag 09:00-17:30", "Fredag 09:00-13:00", "Lørdag–søndag lukket")


def test_info_rotates_with_the_clock(site):
    now = datetime(2026, 11, 24, 10, 0, tzinfo=site.tz)
    pages = info.info_pages(site, now, "da")
    assert len(pages) == 3
    seen = {info.page_index(now.replace(second=s), len(pages), 12) for s in range(0, 36)}
    assert seen == {0, 1, 2}


def test_info_shows_each_page_in_each_language_without_repeating_a_fallback(site):
    now = datetime(2026, 11, 24, 10, 0, tzinfo=site.tz)
    pages = info.rotation(site, now, ("da", "uk"))
    titles = [p.title for p in pages]
    assert titles == ["", "Næste IT-hjælp fra frivillige", "Наступна ІТ-допомога волонтерів", "Åbningstider",
                      "Години роботи"]  # the site message has no Ukrainian text: shown once, in Danish


def test_the_languages_of_the_waiting_tickets_come_from_the_snapshot(model):
    model.apply_snapshot(parsed_snapshot(languages=["da", "uk"]))
    assert model.view().languages == ("da", "uk")
    model.apply_snapshot(parsed_snapshot())  # a hub that does not say
    assert model.view().languages is None
