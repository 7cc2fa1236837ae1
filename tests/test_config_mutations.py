"""The example site file mutated one key at a time: always one line naming file and key, never a traceback.

The loader is called directly for many mutations; the real ``reception check-config`` for a few,
to see its exit status 78 and one line on stderr.
"""
from __future__ import annotations

import string
import subprocess
import sys

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reception import config
from reception.cli import EXIT_CONFIG
from reception.errors import ConfigError
from tests import site_files
from tests.conftest import ROOT

EXAMPLE = site_files.example()
KEYS = site_files.key_paths(EXAMPLE)
VALUES = site_files.value_paths(EXAMPLE)
# Tables keyed by names the site chooses where one letter changed may name another real thing
# (pins.desk-1 -> pins.desk-2).  A renamed service or question is refused: answers and desks name them.
NAMED_BY_SITE = ("pins",)
# A value of another type than the original, and never one the key also accepts (a text may be a string).
WRONG_TYPES = {str: (5, True, [5]), bool: ("yes", 1), int: ("5", True, [5]), float: ("5", True),
               list: (5, "x"), dict: (5, [5])}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(doc, tmp_path) -> str | None:
    """None when the file loads; else the error line, checked to be one line naming the file."""
    path = site_files.write(doc, tmp_path / "site.toml")
    try:
        config.load(path)
    except ConfigError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(f"{path}: "), message
        return message
    return None


def dropped(route):
    return site_files.mutated(EXAMPLE, route, lambda parent, key: parent.pop(key))


def renamed(route, position: int, letter: str):
    """The document with one letter of the key at ``route`` changed; None when that names a sibling or itself."""
    key = route[-1]
    new = key[:position] + letter + key[position + 1:]
    if new == key or new in site_files.at(EXAMPLE, route[:-1]):
        return None
    return site_files.mutated(EXAMPLE, route, lambda parent, old: parent.__setitem__(new, parent.pop(old)))


def retyped(route, choice: int):
    def change(parent, key):
        wrong = WRONG_TYPES[type(parent[key])]
        parent[key] = wrong[choice % len(wrong)]
    return site_files.mutated(EXAMPLE, route, change)


@SETTINGS
@given(route=st.sampled_from(KEYS))
def test_a_dropped_key_loads_or_is_named_in_one_line(tmp_path, route):
    outcome(dropped(route), tmp_path)  # an optional key may go; anything else is one line


@SETTINGS
@given(route=st.sampled_from(KEYS), where=st.integers(0, 40), letter=st.sampled_from(string.ascii_lowercase + "_"))
def test_a_key_with_one_letter_changed_is_refused(tmp_path, route, where, letter):
    doc = renamed(route, where % len(str(route[-1])), letter)
    assume(doc is not None)
    message = outcome(doc, tmp_path)
    if not (len(route) == 2 and route[0] in NAMED_BY_SITE):
        assert message is not None, f"{route} renamed was accepted"


@SETTINGS
@given(route=st.sampled_from(VALUES), choice=st.integers(0, 2))
def test_a_value_of_the_wrong_type_is_refused(tmp_path, route, choice):
    assert outcome(retyped(route, choice), tmp_path) is not None, f"{route} retyped was accepted"


# Whatever TOML can hold: scalars, dates and times, arrays and tables of them.
TOML_VALUES = st.recursive(
    st.booleans() | st.integers(-2**63, 2**63 - 1) | st.floats() | st.text(max_size=8) | st.dates() | st.times(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


@SETTINGS
@given(route=st.sampled_from(VALUES), value=TOML_VALUES)
def test_any_value_anywhere_loads_or_is_one_line(route, value):
    doc = site_files.mutated(EXAMPLE, route, lambda parent, key: parent.__setitem__(key, value))
    try:
        config.parse(doc, source="site.toml")
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("site.toml: "), exc


def test_check_config_exits_78_with_one_line_for_each_kind_of_mutation(tmp_path):
    for n, doc in enumerate([dropped(("site", "name")), renamed(("desks", 3, "private"), 6, "x"),
                             retyped(("pins", "desk-1"), 0)]):
        path = site_files.write(doc, tmp_path / f"site-{n}.toml")
        run = subprocess.run([sys.executable, "-m", "reception.cli", "check-config", "-c", str(path)],
                             capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert run.returncode == EXIT_CONFIG, run.stderr
        assert run.stderr.count("\n") == 1 and f"{path}: " in run.stderr, run.stderr
