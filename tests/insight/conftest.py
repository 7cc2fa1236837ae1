"""Shared by the insight tests: a generated week (played once per session, then purged), and a hub that never closes."""
import dataclasses
import random
import re
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from reception import config
from reception.mqtt import BrokerAddress
from hub.service import Hub
from hub.simulation.demo import new_store, play_days
from tests.conftest import EXAMPLE_CONFIG, HubProcess

FIRST, LAST = date(2026, 11, 16), date(2026, 11, 22)  # Monday to Sunday: five opening days
PERIOD = dict(day_from=FIRST.isoformat(), day_to=LAST.isoformat())


@pytest.fixture(scope="session")
def week(tmp_path_factory):
    site = dataclasses.replace(config.load(EXAMPLE_CONFIG), retention_days=1)
    path = tmp_path_factory.mktemp("week") / "hub.db"
    store = new_store(site, path)
    play_days(site, store, [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)], random.Random(20261116))
    raw = raw_rows(path)
    # The hub's own day change: final aggregates first, then the purge of rows older than retention allows.
    hub = Hub(site, store, BrokerAddress(port=1)).load()  # never started: only its purge runs here
    hub.housekeeping.purge(datetime(2026, 11, 24, 6, tzinfo=timezone.utc))
    store.close()
    return path, raw


def raw_rows(path):
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return {table: [dict(r) for r in db.execute(f"select * from {table}")]
                for table in ("tickets", "events", "feedback")}


@pytest.fixture
def open_hub(broker, tmp_path):
    """The hub with the example site open around the clock, so tickets do not expire at closing.

    A test at 16:30 on a Wednesday would otherwise see every new ticket expire at once
    (closing 15:00 plus the hour's margin) and wait in vain for it to be called.
    """
    always = "\n".join(f'{day} = "00:00-23:59"' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    text = re.sub(r"\[hours\][^\[]*", f"[hours]\n{always}\n\n", EXAMPLE_CONFIG.read_text(encoding="utf-8"), count=1)
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    hub = HubProcess(broker, tmp_path / "hub.db", config_path=path).start()
    yield hub
    hub.stop()
    hub.available.close()
