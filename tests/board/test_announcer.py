"""Announcements: chime + espeak-ng in Danish and the second language, in order, never lost, silent without sound."""
import logging
import wave
from datetime import datetime, timezone

import pytest

from display_board.announcer import Announcer, announcement_text, spoken_languages
from display_board.chime import write_chime
from display_board.model import ShownCall

SKRANKE_3 = {"da": "Skranke 3", "en": "Desk 3"}


def shown(number, desk=SKRANKE_3, seq=1, lang=None):
    return ShownCall(number, desk, seq, datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc), lang=lang)


def test_text_uses_the_spoken_number_and_the_desk_display_name():
    assert announcement_text(shown("A012"), "da") == "Nummer A 12, Skranke 3"
    assert announcement_text(shown("C004"), "en") == "Number C 4, Desk 3"
    assert announcement_text(shown("A001", {"da": "Frivillig 1"}), "en") == "Number A 1, Frivillig 1"


def test_calls_arriving_together_are_all_spoken_in_order(tmp_path):
    announcer = Announcer(["da", "en"], tmp_path, record_only=True).start()
    for seq, number in enumerate(["A001", "C002", "B003"], 1):
        announcer.announce(shown(number, seq=seq))
    assert announcer.wait_idle(30)
    announcer.stop()
    assert [c[-1] for c in announcer.commands] == [
        "Nummer A 1, Skranke 3", "Number A 1, Desk 3", "Nummer C 2, Skranke 3", "Number C 2, Desk 3",
        "Nummer B 3, Skranke 3", "Number B 3, Desk 3"]
    assert announcer.commands[0][:5] == ["espeak-ng", "-v", "da", "-s", "140"]
    assert announcer.commands[1][2] == "en-gb"
    wavs = sorted(tmp_path.glob("0*.wav"))
    assert [w.name for w in wavs] == ["00001-A001-da.wav", "00001-A001-en.wav", "00002-C002-da.wav",
                                      "00002-C002-en.wav", "00003-B003-da.wav", "00003-B003-en.wav"]
    with wave.open(str(wavs[0])) as w:
        assert w.getnframes() / w.getframerate() > 0.8  # real speech, not an empty file


def test_chime_is_a_short_clean_wav_made_once(tmp_path):
    path = write_chime(tmp_path / "chime.wav")
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        assert 0.5 < w.getnframes() / w.getframerate() < 1.5
    stamp = path.stat().st_mtime_ns
    write_chime(path)
    assert path.stat().st_mtime_ns == stamp


def test_without_a_sound_device_it_logs_once_and_keeps_going(tmp_path, caplog):
    """This machine has no sound card: playback fails (or no player exists); the queue still drains."""
    caplog.set_level(logging.WARNING, "display_board.announcer")
    announcer = Announcer(["da"], tmp_path).start()
    for seq in range(1, 4):
        announcer.announce(shown(f"A{seq:03d}", seq=seq))
    assert announcer.wait_idle(30)
    announcer.stop()
    assert len(announcer.commands) == 3
    silent = [r for r in caplog.records if "silent" in r.getMessage()]
    assert len(silent) == 1
    assert not list(tmp_path.glob("0*.wav"))  # played (or skipped) speech is not left behind


@pytest.mark.parametrize("lang,spoken", [
    ("da", ("da",)),  # a Danish ticket: Danish only, however many languages are configured
    ("uk", ("da", "uk")),  # a Ukrainian ticket: Danish, then Ukrainian
    ("en", ("da", "en")),
    ("xx", ("da",)),  # a language the board has no words for: Danish
    (None, ("da", "en")),  # a hub that does not say: the configured languages
])
def test_each_call_is_spoken_in_danish_and_in_the_tickets_own_language(lang, spoken):
    assert spoken_languages(shown("A012", lang=lang), ("da", "en")) == spoken


def test_a_ukrainian_ticket_is_announced_in_ukrainian_after_danish(tmp_path):
    announcer = Announcer(["da", "en"], tmp_path, record_only=True).start()
    announcer.announce(shown("A012", lang="uk"))
    assert announcer.wait_idle(30)
    announcer.stop()
    assert [(c[2], c[-1]) for c in announcer.commands] == [("da", "Nummer A 12, Skranke 3"),
                                                          ("uk", "Номер A 12, Skranke 3")]
    with wave.open(str(tmp_path / "00001-A012-uk.wav")) as w:
        assert w.getnframes() / w.getframerate() > 0.8


def test_a_stopping_board_drops_the_calls_still_queued(tmp_path):
    """SIGTERM must not wait for a backlog of speech: at most the call being spoken is finished."""
    announcer = Announcer(["da", "en"], tmp_path, record_only=True).start()
    for seq in range(1, 21):
        announcer.announce(shown(f"A{seq:03d}", seq=seq))
    announcer.stop(timeout=30)
    assert not announcer._thread.is_alive()
    assert len(announcer.commands) <= 2, "one call in two languages at most"
