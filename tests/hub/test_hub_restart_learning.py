"""A restarted hub remembers how long visits take at this site (the estimator learns from the store)."""
from datetime import datetime, timedelta
from functools import partial

from hub.core.queue import Queue
from hub.service import Hub
from hub.store import Store
from reception import schedule
from reception.mqtt import BrokerAddress


def test_a_new_hub_learns_the_visits_of_recent_days_from_the_store(site, tmp_path):
    now = datetime(2026, 11, 25, 10, 0, tzinfo=site.tz)  # a Wednesday: 12 visits from 10:00 yesterday end at 18:00
    store = Store(tmp_path / "hub.db", local_day=partial(schedule.local_day, site))
    yesterday = now - timedelta(days=1)
    q = Queue(site)
    q.command("desk-1", "open", yesterday)
    for i in range(12):  # passports took 40 minutes each yesterday, not the configured 10
        start = yesterday + timedelta(minutes=40 * i)
        _ticket, effects = q.issue("passport", start)
        store.apply(effects)
        store.apply(q.command("desk-1", "next", start))
        store.apply(q.command("desk-1", "done", start + timedelta(minutes=40)))
    hub = Hub(site, store, BrokerAddress("127.0.0.1", 1), clock=lambda: now).load()
    assert hub.estimator.visits.visit("passport") > 2 * site.services["passport"].mean_service_minutes
    assert hub.estimator.visits.visit("moving") == site.services["moving"].mean_service_minutes
