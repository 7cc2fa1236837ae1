"""Catalogues, volunteer sessions, colours and sizes: the pure parts a citizen reads."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from kiosk import i18n, theme
from reception.sessions import next_here_text, next_sessions_text
from reception.colour import contrast_ratio

TZ = ZoneInfo("Europe/Copenhagen")


def test_site_languages_all_have_names_of_their_own(site):
    names = [i18n.LANGUAGE_NAMES[lang] for lang in site.languages]
    assert names == ["Dansk", "English", "Deutsch", "Українська"][:len(names)]


def test_unknown_language_falls_back_to_danish():
    assert i18n.tr("fr", "back") == "Tilbage"


@pytest.mark.parametrize("fg,bg", theme.READ_PAIRS)
def test_every_colour_pair_has_at_least_7_to_1_contrast(fg, bg):
    assert contrast_ratio(theme.COLOURS[fg], theme.COLOURS[bg]) >= theme.MIN_CONTRAST


def test_sizes_follow_the_panel_density():
    small, large = theme.ScreenProfile.for_size(800, 480), theme.ScreenProfile.for_size(1280, 800)
    assert small.target == pytest.approx(20 / 25.4 * 133)
    assert large.body == pytest.approx(24 / 72 * 150)
    assert theme.ScreenProfile.for_size(800, 480, dpi=200).target == pytest.approx(20 / 25.4 * 200)


def test_wednesday_morning_lists_the_library_then_next_week(site):
    wed = datetime(2026, 11, 25, 9, 0, tzinfo=TZ)  # a Wednesday
    lines = next_sessions_text(site, wed, "da")
    assert lines[0] == "I dag kl. 10:00-12:00: IT-café på Tønder Bibliotek"
    assert lines[1].startswith("I morgen kl. 09:00-12:00: Her på rådhuset")
    assert lines[2].startswith("Mandag kl. 13:00-15:00: Datastue på Center Royal")


def test_a_session_that_has_ended_is_not_offered(site):
    wed_afternoon = datetime(2026, 11, 25, 12, 0, tzinfo=TZ)
    assert next_sessions_text(site, wed_afternoon, "en")[0].startswith("Tomorrow 09:00-12:00")


def test_a_running_session_is_still_offered(site):
    tue_ten = datetime(2026, 11, 24, 10, 30, tzinfo=TZ)
    assert next_sessions_text(site, tue_ten, "uk")[0].startswith("Сьогодні 09:00-12:00")


@pytest.mark.parametrize("at,lang,said", [
    (datetime(2026, 12, 5, 10, 0, tzinfo=TZ), "da", "Frivillige kommer tirsdag kl. 9:00."),  # Saturday
    (datetime(2026, 12, 8, 8, 0, tzinfo=TZ), "en", "Volunteers are here today at 9:00."),  # Tuesday, early
    (datetime(2026, 12, 9, 23, 59, 59, tzinfo=TZ), "de", "Ehrenamtliche sind morgen um 9:00 Uhr da."),
    (datetime(2026, 12, 10, 18, 0, tzinfo=TZ), "uk", "Волонтери будуть у вівторок о 9:00."),  # Thursday evening
])
def test_the_next_volunteers_here_in_plain_words(site, at, lang, said):
    assert next_here_text(site, at, lang) == said


def test_elsewhere_leaves_out_the_sessions_at_these_desks(site):
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=TZ)
    lines = next_sessions_text(site, saturday, "da", elsewhere=True)
    assert lines[0].startswith("Mandag kl. 13:00-15:00: Datastue") and "rådhuset" not in " ".join(lines)


@pytest.mark.parametrize("now,first,here", [
    ("2026-12-05T12:00:00+01:00", "Mandag kl. 13:00-15:00", "Frivillige kommer tirsdag kl. 9:00."),  # a Saturday
    ("2026-10-25T20:00:00+01:00", "I morgen kl. 13:00-15:00", "Frivillige kommer tirsdag kl. 9:00."),  # Sunday, clocks went back
    ("2027-03-28T20:00:00+02:00", "I morgen kl. 13:00-15:00", "Frivillige kommer tirsdag kl. 9:00."),  # Sunday, clocks went forward
    ("2026-12-31T23:59:59+01:00", "Mandag kl. 13:00-15:00", "Frivillige kommer tirsdag kl. 9:00."),  # New Year's Eve
    ("2026-11-23T23:59:59+01:00", "I morgen kl. 09:00-12:00", "Frivillige kommer i morgen kl. 9:00."),  # a second to midnight
    ("2026-11-24T00:00:00+01:00", "I dag kl. 09:00-12:00", "Frivillige kommer i dag kl. 9:00."),  # ... and at midnight
])
def test_session_lines_at_the_edges_of_days_and_weeks(site, now, first, here):
    at = datetime.fromisoformat(now).astimezone(timezone.utc)  # as the hub's clock gives it; shown in local time
    assert next_sessions_text(site, at, "da")[0].startswith(first + ":")
    assert next_here_text(site, at, "da") == here


def test_a_running_session_without_a_volunteer_in_is_not_announced_as_coming(site):
    """The title says nobody is here; "kommer i dag kl. 9:00" at 10:30 would contradict it."""
    tue_half_past_ten = datetime(2026, 11, 24, 10, 30, tzinfo=TZ)
    assert next_here_text(site, tue_half_past_ten, "da") == "Frivillige kommer torsdag kl. 9:00."


@pytest.mark.parametrize("lang,shown,spoken", [
    ("da", "Ventetid ca. 12 min.", "Ventetid cirka 12 minutter."),  # not "min" (my)
    ("da", "Ventetid ca. 1 min.", "Ventetid cirka 1 minut."),
    ("da", "Frivillige kommer tirsdag kl. 9:00.", "Frivillige kommer tirsdag klokken 9."),
    ("en", "Wait about 12 min", "Wait about 12 minutes"),
    ("de", "Warten: ca. 12 Min.", "Warten: circa 12 Minuten."),
    ("uk", "Чекати бл. 125 хв", "Чекати близько 125 хвилин"),  # not spelt letter by letter
    ("uk", "Чекати бл. 21 хв", "Чекати близько 21 хвилини"),
    ("uk", "Сьогодні 09:00-12:30: Тут", "Сьогодні 9-12 30: Тут"),
])
def test_read_aloud_says_full_words_where_the_screen_is_short(lang, shown, spoken):
    from kiosk.speech import full_words

    assert full_words(shown, lang) == spoken


def test_every_wait_the_kiosk_shows_is_spoken_in_full_words():
    from kiosk.speech import full_words

    for lang in ("da", "en", "de", "uk"):
        said = full_words(i18n.tr(lang, "wait_about", minutes=12), lang)
        assert not any(short in said.split() for short in ("min", "min.", "Min.", "ca.", "бл.", "хв")), said
