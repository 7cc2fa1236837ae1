"""The text catalogues: one format, checked on load with one line naming the file and the key, each text once."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reception import catalogue
from reception.errors import CatalogueError

ROOT = Path(__file__).resolve().parents[1]
GOOD = '[hello]\nda = "Hej {name}"\nen = "Hello {name}"\nde = "Hallo {name}"\nuk = "Привіт {name}"\n'


def every_catalogue_file() -> list[Path]:
    files = sorted(p for package in ("reception", "kiosk", "display_board", "hardware")
                   for p in (ROOT / package).glob("*.toml"))
    assert {p.relative_to(ROOT).as_posix() for p in files} == {
        "reception/words.toml", "kiosk/texts.toml", "kiosk/feedback.toml", "display_board/texts.toml",
        "hardware/ticket_texts.toml"}  # a new catalogue is named here, so the checks below see it
    return files


def test_every_catalogue_loads_and_speaks_every_site_language():
    for path in every_catalogue_file():
        texts = catalogue.load(path) if path != catalogue.SHARED else catalogue.shared()
        assert texts.text("uk", "tomorrow") == "Завтра" and texts.text("fr", "tomorrow") == "I morgen"


def test_no_text_is_written_twice():
    """A word said by more than one part lives in reception/words.toml, once."""
    seen: dict[tuple[str, ...], str] = {}
    for path in every_catalogue_file():
        for key, entry in catalogue.read_entries(path).items():
            texts = tuple(entry[lang] for lang in sorted(entry))
            assert texts not in seen, f"{path.name}:{key} repeats {seen[texts]}"
            seen[texts] = f"{path.name}:{key}"


@pytest.mark.parametrize("body,says", [
    (GOOD.replace('uk = "Привіт {name}"\n', ""), "hello.uk: missing"),
    (GOOD.replace('"Hallo {name}"', '"Hallo {nam}"'), "hello.de: placeholders ['nam'] differ from da's ['name']"),
    (GOOD.replace('"Hello {name}"', '"Hello {name"'), "hello.en: "),
    (GOOD.replace('en = "Hello {name}"', 'en = ""'), "hello.en: missing"),
    (GOOD + 'fr = "Salut {name}"\n', "hello.fr: not a site language (da, en, de, uk)"),
    ('hello = "Hej"\n', "hello: must be a table of one text per language"),
    (GOOD.replace("[hello]", "[tomorrow]"), "tomorrow: already in reception/words.toml; a word lives in one place"),
    ("[hello\n", "Expected ']'"),
])
def test_a_misfit_catalogue_is_refused_in_one_line_naming_file_and_key(tmp_path, body, says):
    path = tmp_path / "texts.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogueError) as refused:
        catalogue.load(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: ") and says in message and "\n" not in message


def test_a_good_catalogue_fills_placeholders_and_falls_back_to_danish(tmp_path):
    path = tmp_path / "texts.toml"
    path.write_text(GOOD, encoding="utf-8")
    texts = catalogue.load(path)
    assert texts.text("de", "hello", name="Welt") == "Hallo Welt"
    assert texts.text("pt-BR", "hello", name="Ana") == "Hej Ana"
    assert [texts.text("en", "when_" + day) for day in ("today", "tue")] == ["today", "on Tuesday"]


def test_shared_day_names_are_the_board_s_and_the_sessions():
    names = [catalogue.weekday_name(i, "uk") for i in range(7)]
    assert names[4] == "пʼятниця" and len(set(names)) == 7
    assert list(itertools.islice(catalogue.VOICES, 4)) == ["da", "en", "de", "uk"]
    assert catalogue.voice("en") == "en-gb" and catalogue.voice("sv") == "sv"
