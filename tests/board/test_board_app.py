"""The real board under Xvfb, fed through a real Mosquitto: what the waiting room sees and hears.

Here the test publishes the hub's messages itself (retained ``board`` snapshot, ``calls``,
``hub/available``) to reach every state exactly; ``test_board_hub.py`` drives it through the
real hub.  Both share the one board app of ``conftest.py`` (Kivy allows one window per process).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tests.board.conftest import SITE, TOPICS, publish_first_state
from display_board import info
from tests.board.helpers import call, parsed_daily_stats
from tests.board.screen import clipped_texts, pump, settle

ROBOTO_DIGIT_HEIGHT = 0.711  # cap height of Roboto's digits and capitals, as a share of the font size


@pytest.fixture
def hub(board_mqtt):
    """This module plays the hub itself: it publishes what the hub would."""
    return board_mqtt[1]


def shown(app) -> list[str]:
    return [app.screen.latest_number] + [c.number for c in app.screen.cells if c.number]


def publish_calls(hub, numbers, first_seq, desk="desk-1", gap=0.0, type="call"):
    """Publish on a fixed schedule (one every ``gap`` seconds), as desks pressing in a burst would."""
    start = time.monotonic()
    for i, number in enumerate(numbers):
        time.sleep(max(0.0, start + i * gap - time.monotonic()))
        hub.conn.publish(TOPICS.calls, json.dumps(call(number, desk, first_seq + i, type)).encode())


def test_correct_at_once_from_the_retained_snapshot(board, hub):
    """The board fixture started on this state (and waited for it); other tests may have changed it since."""
    publish_first_state(hub)
    screen = board.screen
    assert pump(lambda: shown(board)[:3] == ["C004", "A002", "B001"], 10), shown(board)
    assert "Skranke 3" in screen.latest_desk
    assert "12:00" in screen.volunteers
    row = screen.rows[0]
    assert (row.letter, row.waiting) == ("A", "3 venter")
    assert "Frivillig 5 min" in row.eta and "Personale 25 min" in row.eta
    assert screen.rows[1].eta == "18 min"
    assert not screen.offline


def test_calls_appear_in_order_and_are_announced(board, hub):
    publish_calls(hub, ["C010", "A011", "B012"], 10)
    assert pump(lambda: shown(board)[:3] == ["B012", "A011", "C010"], 10), shown(board)
    assert "Skranke 1" in board.screen.latest_desk
    assert board.announcer.wait_idle(20)
    assert [c[-1] for c in board.announcer.commands[-6:]] == [
        "Nummer C 10, Skranke 1", "Number C 10, Desk 1", "Nummer A 11, Skranke 1", "Number A 11, Desk 1",
        "Nummer B 12, Skranke 1", "Number B 12, Desk 1"]


def test_a_call_is_drawn_in_the_first_frame_after_it_arrives(board):
    """A busy machine makes every frame slow: the call's redraw and the fitting of its texts run before the
    very next frame, not one or two frames later."""
    from kivy.base import EventLoop

    from reception.protocol import CallEvent, encode

    assert settle(board.screen)  # whatever else is pending is drawn first (frames, not seconds)
    board.on_call(CallEvent.from_payload(encode(call("D031", "desk-2", 9031))))  # as the feed hands it on
    EventLoop.idle()
    assert board.screen.latest_number == "D031" and "Skranke 2" in board.screen.latest_desk


def test_a_recall_shows_again_as_new(board, hub):
    publish_calls(hub, ["A020", "C021"], 20, desk="vol-2")
    assert pump(lambda: shown(board)[0] == "C021")
    publish_calls(hub, ["A020"], 22, desk="vol-2", type="recall")
    assert pump(lambda: shown(board)[:2] == ["A020", "C021"])
    assert shown(board).count("A020") == 1
    assert "Frivillig 2" in board.screen.latest_desk
    assert pump(lambda: board.screen.latest_bg != "#FFD23F", 2), "a recall must flash like a new call"


def test_a_burst_of_twenty_calls_in_one_second_is_all_shown_and_all_announced_in_order(board, hub):
    numbers = [f"B{100 + i}" for i in range(20)]
    frames: list[list[str]] = []  # what the board showed, frame by frame

    def finished():
        frames.append(shown(board))
        return frames[-1][0] == "B119"
    assert board.announcer.wait_idle(30)  # an earlier test's calls still being spoken would count as ours
    before = len(board.announcer.commands)
    sender = threading.Thread(target=publish_calls, args=(hub, numbers, 100, "desk-2", 0.045))
    sender.start()  # from another thread: this one runs the board's frames meanwhile
    assert pump(finished, 10)  # how fast is `reception bench board`'s figure (busy machine included), not a test's
    sender.join()
    never_shown = set(numbers) - {n for frame in frames for n in frame} - pushed_off_between_frames(numbers, frames)
    assert not never_shown, f"calls of the burst never on screen: {sorted(never_shown)}"
    for frame in frames:
        in_burst = [n for n in frame if n in numbers]
        assert in_burst == sorted(in_burst, reverse=True), f"out of order: {frame}"
    assert frames[-1] == [f"B{119 - i}" for i in range(SITE.board.recent_calls + 1)]
    assert board.announcer.wait_idle(60)
    spoken = [c[-1] for c in board.announcer.commands[before:] if c[2] == "da"]
    assert spoken == [f"Nummer B {100 + i}, Skranke 2" for i in range(20)]


def pushed_off_between_frames(numbers: list[str], frames: list[list[str]]) -> set[str]:
    """Calls that came and went between two frames: more than a screenful (the latest and the recent
    calls) arrived meanwhile, as they do when a loaded machine draws a frame late or the sender
    catches up in a bunch.  Any other call missing from every frame was lost."""
    screenful = SITE.board.recent_calls + 1
    newest = [max((numbers.index(n) for n in frame if n in numbers), default=-1) for frame in frames]
    gone = set()
    for before, after in zip([-1, *newest], newest):
        gone |= set(numbers[before + 1:max(before + 1, after - screenful + 1)])
    return gone


def test_only_the_number_and_the_desk_reach_the_screen(board, hub, caplog):
    """A call event that carries more (it must not) is refused whole; a proper one has nowhere to show more."""
    caplog.set_level(logging.WARNING, "reception.mqtt")
    leaky = {**call("E300", "room-1", 300), "service": "health_card", "reason": "Sundhedskort", "extras": ["private"]}
    hub.publish(TOPICS.calls, leaky)
    assert pump(lambda: any("unknown field 'service'" in r.getMessage() for r in caplog.records), 5)
    hub.publish(TOPICS.calls, call("E300", "room-1", 300))
    assert pump(lambda: shown(board)[0] == "E300", 10)
    texts = " ".join(w.text for w in board.screen.walk() if hasattr(w, "text"))
    for word in ("health_card", "Sundhedskort", "private", "enrum"):
        assert word not in texts


def test_a_bad_message_is_ignored_with_its_reason(board, hub, caplog):
    caplog.set_level(logging.WARNING, "reception.mqtt")
    before = shown(board)
    hub.publish(TOPICS.calls, {"v": 1, "type": "call", "number": "Robert", "desk": "desk-1"})
    hub.publish(TOPICS.calls, b"not json")
    assert pump(lambda: len([r for r in caplog.records if "ignored" in r.getMessage()]) == 2, 5)
    assert shown(board) == before


def test_hub_offline_shows_the_calm_banner_and_online_removes_it(board, hub):
    hub.publish(TOPICS.hub_available, {"v": 1, "status": "offline"}, retain=True)
    assert pump(lambda: board.screen.offline, 5)
    assert board.screen.ids.banner.opacity == 1
    assert board.screen.offline_text == "Ventetiderne kan ikke vises lige nu. Du beholder din plads i køen."
    assert "You keep your place" in board.screen.offline_text2
    assert not any(word in board.screen.offline_text.lower() for word in ("drift", "lukket", "ude af")), \
        "calm words about the waits, nothing that reads as a closed office"
    hub.publish(TOPICS.hub_available, {"v": 1, "status": "online"}, retain=True)
    assert pump(lambda: not board.screen.offline, 5)
    assert board.screen.ids.banner.opacity == 0


def test_broker_lost_shows_the_banner_and_the_board_recovers_by_itself(board, hub, board_mqtt):
    broker = board_mqtt[0]
    broker.kill()
    assert pump(lambda: board.screen.offline, 15), "no banner after the broker died"
    broker.start()
    # The real hub republishes "online" on every connect: the broker saves its retained
    # messages once a second, so a kill may have kept an older "offline" of another test.
    assert hub.conn.wait_connected(10)
    hub.publish(TOPICS.hub_available, {"v": 1, "status": "online"}, retain=True)
    assert pump(lambda: not board.screen.offline, 20), "the board did not recover"
    publish_calls(hub, ["C200"], 200)
    assert pump(lambda: shown(board)[0] == "C200", 10)


def test_call_numbers_are_at_least_8_percent_of_the_screen_height(board):
    from kivy.core.window import Window

    numbers = [board.screen.ids.latest_number] + [c.children[-1] for c in board.screen.cells]
    for label in numbers:
        assert label.font_size * ROBOTO_DIGIT_HEIGHT >= 0.08 * Window.height, label.text


def too_small(screen, height: int) -> list[str]:
    """Texts under 4 % of the screen height, waits under 5 %; group names or letters in several sizes;
    letters on more than one line.  A text's height is its font size (the line's em)."""
    from kivy.uix.label import Label

    from tests.board.screen import visible

    problems = [f"{w.text!r} at {w.font_size / height:.1%}" for w in screen.walk()
                if isinstance(w, Label) and w.text and visible(w) and w.font_size < 0.04 * height - 0.5]
    rows = [r for r in screen.rows if r.name]
    problems += [f"wait {r.eta!r} at {r.ids.eta.font_size / height:.1%}" for r in rows
                 if r.eta and r.ids.eta.font_size < 0.05 * height - 0.5]
    for part in ("name", "letter"):
        sizes = {round(r.ids[part].font_size, 1) for r in rows}
        if len(sizes) > 1:
            problems.append(f"{part}s in {len(sizes)} sizes: {sorted(sizes)}")
    problems += [f"letters {r.letter!r} wrap" for r in rows if lines_at_width(r.ids.letter) > 1]
    return problems


def lines_at_width(label) -> int:
    """How many lines the label's text takes when wrapped at the label's width."""
    from kivy.core.text import Label as CoreLabel

    core = CoreLabel(text=label.text, font_size=label.font_size, font_name=label.font_name, bold=label.bold,
                     text_size=(label.width, None))
    core.refresh()
    return round(core.content_size[1] / core.get_extents("A")[1])


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_every_text_fits_and_is_at_least_4_percent_of_the_screen_height_in_every_language(board, size):
    """Every configured language as the second one and as the language waiting (so the pages speak it),
    every info page (today's figures too), the banner on and off: nothing clipped, nothing too small."""
    from kivy.core.window import Window

    from display_board.app import BoardScreen

    Window.size = size
    assert pump(lambda: tuple(Window.size) == size and abs(board.vh - size[1] / 100) < 0.01, 5), Window.size
    view = board.model.view()
    problems = []
    start = datetime(2026, 11, 24, 10, 0, tzinfo=SITE.tz)
    for second in SITE.languages:
        screen = BoardScreen(SITE, ("da", second) if second != "da" else ("da",))
        screen.today = parsed_daily_stats(SITE, "2026-11-24", 23, 148, 104.6)  # three-digit figures
        pages = len(info.rotation(SITE, start, ("da", second), screen.today))
        Window.add_widget(screen)
        try:
            for offline in (False, True):
                board.model.set_hub_status("offline" if offline else "online")
                screen.show(replace(board.model.view(), languages=(second,)))
                for page in range(pages):
                    screen.show_time(start + timedelta(seconds=page * SITE.board.info_rotate_seconds))
                    assert settle(screen), f"the layout never settled ({size} {second} page {page})"
                    where = f"{size} {second} offline={offline} page {page}"
                    problems += [f"{where}: {p}" for p in clipped_texts(screen, size) + too_small(screen, size[1])]
        finally:
            Window.remove_widget(screen)
    board.model.set_hub_status("online")
    board.screen.show(view)
    Window.size = (1280, 720)  # back to the size the board started with
    assert not problems, "\n".join(problems)
