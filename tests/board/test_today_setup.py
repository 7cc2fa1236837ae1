"""The office edits the board's information texts and cancels today's volunteer session over MQTT, through a
real hub process: the board's pages and its volunteers' hours follow at once."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.board.conftest import TOPICS
from tests.board.screen import pump
from tests.board.test_board_hub import real_hub  # noqa: F401  (a fixture)
from tests.conftest import Recorder
from tests.hub.test_office_setup import change


@pytest.fixture
def web(real_hub, board_mqtt):  # noqa: F811
    """The web application's side: setup commands and their results."""
    rec = Recorder(board_mqtt[0], f"{TOPICS.base}/setup/#")
    yield rec
    rec.close()


def pages_shown(board) -> list[str]:
    """Every information page the board shows in one turn of its rotation, as on screen."""
    start, shown = board.now(), []
    rotate = board.site.board.info_rotate_seconds
    for i in range(12):
        board.screen.show_time(start + timedelta(seconds=rotate * i))
        shown.append(board.screen.info)
    board.screen.show_time(start)
    return shown


def test_a_new_information_text_and_a_cancelled_session_show_on_the_board(board, web):
    assert pump(lambda: not board.screen.offline, 10)
    assert not any("Lukket fredag" in page for page in pages_shown(board))
    assert change(web, "set_messages", messages=[{"da": "Lukket fredag den 27.", "en": "Closed Friday"}])["ok"]
    assert pump(lambda: any("Lukket fredag den 27." in page for page in pages_shown(board)), 5)
    assert not any("Frivillige fra Ældresagen" in page for page in pages_shown(board)), "the site file's text went"
    assert pump(lambda: board.screen.volunteers, 10), "today's session runs: the board says until when"
    assert change(web, "cancel_session", date="2026-11-24", time="09:00-12:00")["ok"]
    assert pump(lambda: not board.screen.volunteers, 5), "no session now: no volunteers' hours on the board"
    assert change(web, "reset_messages")["ok"]
    assert change(web, "restore_session", date="2026-11-24", time="09:00-12:00")["ok"]  # as the other tests expect
    assert pump(lambda: any("Frivillige fra Ældresagen" in page for page in pages_shown(board)), 5)
