"""The site file: the example is valid, and each kind of mistake is named by file, key and problem."""
import pytest

from reception import config
from reception.cli import EXIT_CONFIG, main
from reception.errors import ConfigError
from tests import site_files
from tests.conftest import EXAMPLE_CONFIG


def test_example_site_loads_with_every_part(site):
    assert site.id == "toender"
    assert site.languages[0] == "da"
    assert site.services["mitid_learn"].citizen_chooses
    assert not site.services["passport"].volunteer_may_serve
    assert site.desks["vol-1"].services == {"mitid_learn"}
    assert "passport" not in site.desks["vol-1"].services
    assert site.desks["room-1"].private
    assert site.reserved_numbers() == [(901, 949), (951, 999)]


def _broken(tmp_path, old, new):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "site.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old,new,key,problem", [
    ('letter = "B"', 'letter = "A"', "services.mitid_get.letter", "already used"),
    ('kind = "volunteer"', 'kind = "robot"', "desks[4].kind", "not a desk kind"),
    ('services = ["mitid_learn"]', 'services = ["passport"]', "desks[4].services[0]", "may not serve"),
    ('timezone = "Europe/Copenhagen"', 'timezone = "Mars/Olympus"', "site.timezone", "unknown time zone"),
    ('thu = "09:00-17:30"', 'thu = "17:30-09:00"', "hours.thu", "ends before it starts"),
    ('offline_numbers = [951, 999]', 'offline_numbers = [940, 999]', "kiosks[1].offline_numbers", "overlaps"),
    ('{ service = "passport", icon', '{ service = "pasport", icon', "questions.documents.answers[0].service",
     "unknown service"),
    ('retention_days = 30', 'retention_days = "thirty"', "site.retention_days", "whole number"),
    ('id = "toender"', 'id = "Tønder"', "site.id", "lower-case"),
    ('[printer]\nconnection = "dummy"', '[printer]\nconnection = "fax"', "printer.connection", "not one of"),
    ('next = 5', 'next = 17', "pins.vol-1.next", "already used"),
    ('{ next = "digital", icon', '{ next = "digital", check_in = true, icon', "questions.start.answers[0].check_in",
     "needs 'service'"),
])
def test_a_broken_file_names_file_key_and_problem(tmp_path, old, new, key, problem):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as err:
        config.load(path)
    message = str(err.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert problem in message


def one_service_site(last: dict, depth: int, served_by=("staff",)) -> dict:
    """A site whose one service ``x`` is the answer ``last`` on the ``depth``-th question (the start is the first)."""
    names = ["start"] + [f"q{n}" for n in range(2, depth + 1)]
    questions = {name: {"text": name, "answers": [{"next": following, "label": "a"}]}
                 for name, following in zip(names, names[1:])}
    questions[names[-1]] = {"text": "last", "answers": [{**last, "label": "a"}]}
    return {"site": {"id": "s", "name": "S"},
            "services": {"x": {"letter": "X", "served_by": list(served_by), "name": "X"}},
            "desks": [{"id": "d", "kind": "staff", "name": "D"}], "questions": questions}


@pytest.mark.parametrize("depth,answer,served_by", [
    (4, {"service": "x"}, ["staff"]),  # three questions before it
    (3, {"service": "x"}, ["volunteer", "staff"]),  # the volunteer-or-staff choice counts as a tap
    (2, {"service": "x", "check_in": True}, ["staff"]),  # "I have an appointment": "no code", "not in the list"
])
def test_a_service_more_than_three_taps_away_is_refused(depth, answer, served_by):
    with pytest.raises(ConfigError, match="services.x: needs 4 taps"):
        config.parse(one_service_site(answer, depth, served_by))


def test_a_check_in_answer_on_the_start_screen_is_within_three_taps():
    assert config.parse(one_service_site({"service": "x", "check_in": True}, 1)).questions["start"].answers[0].check_in


def test_invalid_toml_and_missing_file_are_config_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[site\nid=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(bad)
    with pytest.raises(ConfigError, match="file not found"):
        config.load(tmp_path / "nope.toml")


def test_cli_exits_non_zero_with_the_message(tmp_path, capsys):
    path = _broken(tmp_path, 'letter = "B"', 'letter = "A"')
    assert main(["check-config", "-c", str(path)]) == EXIT_CONFIG
    assert "services.mitid_get.letter" in capsys.readouterr().err
    assert main(["check-config", "-c", str(EXAMPLE_CONFIG)]) == 0


@pytest.mark.parametrize("old,new,key,hint", [
    ("services = [\"*\"]\nprivate = true", "services = [\"*\"]\nprivat = true", "desks[3].privat", "'private'"),
    ("retention_days = 30", "retention_day = 30", "site.retention_day", "'retention_days'"),
    ("mean_service_minutes = 15", "mean_service_minute = 15", "services.mitid_learn.mean_service_minute",
     "'mean_service_minutes'"),
    ("recent_calls = 6", "recent_call = 6", "board.recent_call", "'recent_calls'"),
    ("prefer_private_desk = true", "prefer_privat_desk = true", "extras.private.prefer_privat_desk",
     "'prefer_private_desk'"),
    ("[board]", "[bord]", "bord", "'board'"),
    ("mon = \"09:00-15:00\"", "mo = \"09:00-15:00\"", "hours.mo", "'mon'"),
    ("date_format = ", "date_fromat = ", "printer.layout.date_fromat", "'date_format'"),
    ("led = 24", "lead = 24", "pins.desk-1.lead", "'led'"),
    ("{ da = \"Skranke 1\", en", "{ da = \"Skranke 1\", eng", "desks[0].name.eng", "'en'"),
    ('connection = "dummy" ', 'connection = "dummy"\nhost = "192.0.2.1" ', "printer.host", "dummy printer"),
])
def test_an_unknown_key_is_refused_with_the_closest_known_one(tmp_path, old, new, key, hint):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert str(err.value).startswith(f"{path}: {key}: unknown "), err.value
    assert hint in str(err.value)


@pytest.mark.parametrize("old,new,key,problem", [
    ('languages = ["da", "en", "de", "uk"]', 'languages = ["da", "en", "de", "uk", "xx"]', "site.languages[4]",
     "unknown language"),
    ('languages = ["da", "en", "de", "uk"]', 'languages = ["da", "en", "da"]', "site.languages[2]", "twice"),
    ('announce_languages = ["da", "en"]', 'announce_languages = ["da", "sv"]', "board.announce_languages[1]",
     "unknown site language"),
    ('[pins.vol-1]\nnext = 5', '[pins.vol-1]\nnext = 95', "pins.vol-1.next", "at most 27"),
    ('[[boards]]\nid = "board-1"', '[[boards]]\nid = "board-1"\n[broker]\nhost = "hub"\nca_file = 5',
     "broker.ca_file", "must be a string"),
    ('mean_service_minutes = 15', 'mean_service_minutes = nan', "services.mitid_learn.mean_service_minutes",
     "finite"),
])
def test_a_value_out_of_its_vocabulary_is_refused(tmp_path, old, new, key, problem):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert str(err.value).startswith(f"{path}: {key}: "), err.value
    assert problem in str(err.value)


@pytest.mark.parametrize("section, value, key", [
    ("pins", {"desk-1": 5}, "pins.desk-1"),
    ("extras", {"private": 5}, "extras.private"),
    ("questions", {"start": 5}, "questions.start"),
])
def test_a_table_given_as_a_number_exits_78_with_one_line(tmp_path, capsys, section, value, key):
    doc = site_files.example()
    doc[section] = value
    path = site_files.write(doc, tmp_path / "site.toml")
    assert main(["check-config", "-c", str(path)]) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: {key}: must be a table" in err, err


def test_every_site_language_has_a_kiosk_and_a_board_catalogue():
    from display_board import wording
    from kiosk import i18n
    for texts in (i18n.TEXTS, wording.TEXTS):  # the catalogues' check on load holds them to config.LANGUAGES
        assert all(set(entry) == set(config.LANGUAGES) for entry in texts.entries.values())


def test_defaults_come_from_the_model():
    doc = site_files.example()
    for section in ("queue", "kiosk", "board", "printer"):
        del doc[section]
    site = config.parse(doc)
    assert site.queue == config.QueueRules()
    assert site.kiosk == config.KioskSettings()
    assert site.printer == config.Printer()
    assert site.board.announce_languages == ("da",)


@pytest.mark.parametrize("table,problem", [
    ('foldr = "inbox"', "appointments.foldr: unknown key; did you mean 'folder'?"),
    ('folder = ""', "appointments.folder: must name a folder"),
    ("folder = 3", "appointments.folder: "),
    ("late_after_minutes = -5", "appointments.late_after_minutes: must be at least 0, not -5"),
    ('slot_minutes = "15"', "appointments.slot_minutes: must be a number, not '15'"),
    ("slot_minutes = 0", "appointments.slot_minutes: must be at least 1, not 0"),
    ("late_after_minute = 10", "appointments.late_after_minute: unknown key; did you mean 'late_after_minutes'?"),
])
def test_the_appointments_section_is_checked_like_every_key(tmp_path, table, problem):
    path = tmp_path / "site.toml"
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    for key in ("late_after_minutes = 15\n", "slot_minutes = 15\n"):  # a key the test sets, set once
        text = text.replace(key, "")
    path.write_text(text.replace("[appointments]\n", f"[appointments]\n{table}\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert str(err.value).startswith(f"{path}: {problem}"), str(err.value)


def test_the_appointments_folder_is_beside_the_site_file_unless_absolute(tmp_path, site):
    assert site.appointments.folder is None
    path = tmp_path / "site.toml"
    folder = '[appointments]\nfolder = "inbox"\n'
    path.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8").replace("[appointments]\n", folder), encoding="utf-8")
    assert config.load(path).appointments.folder == str(tmp_path / "inbox")
