"""Today's setup driven through a real Mosquitto and a real hub process, as the web application drives it."""
import json
import sqlite3
import uuid
from datetime import date, datetime
from functools import partial

import pytest

from hub import setup_store
from hub.service import Hub
from hub.store import Store
from reception import schedule
from reception.cli import main
from reception.errors import QueueError
from reception.mqtt import BrokerAddress
from reception.protocol.office import OfficeSetup, SessionRef
from tests.hub.test_hub_mqtt import BASE, answer_for, command, request, reply_for, result_for
from tests.hub.test_hub_properties import SITE, deliver

SETUP = f"{BASE}/setup"


def change(rec, action, cid=None, by="mette", **fields):
    cid = cid or uuid.uuid4().hex
    rec.publish(f"{SETUP}/command", {"v": 1, "id": cid, "by": by, "action": action, **fields})
    return answer_for(rec, "/setup/result", cid)


def latest(rec, suffix):
    return rec.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t == suffix and p][-1:])[0]


@pytest.fixture
def rec(hub, recorder):
    return recorder(f"{BASE}/#")


def test_a_closed_desk_gets_nobody_and_its_buttons_cannot_open_it(hub, rec):
    command_id = command(rec, "desk-2", "open")
    assert result_for(rec, command_id)["ok"]
    closed = change(rec, "close_desk", desk="desk-2")
    assert closed["ok"] and closed["version"] == 1
    state = rec.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t.endswith("desk/desk-2/state")
                                       and json.loads(p)["status"] == "closed"])
    assert state
    reply_for(rec, request(rec, service="passport"))
    refused = result_for(rec, command(rec, "desk-2", "next"))
    assert refused == {"v": 1, "id": refused["id"], "action": "next", "ok": False,
                       "error": "desk-2 is closed today by the office"}
    assert result_for(rec, command(rec, "desk-1", "next"))["ticket"] == "C001"
    assert latest(rec, SETUP)["closed_desks"] == ["desk-2"]
    assert change(rec, "open_desk", desk="desk-2")["ok"]
    assert result_for(rec, command(rec, "desk-2", "next"))["ok"]


def test_a_change_is_answered_once_audited_once_and_a_misfit_changes_nothing(hub, rec):
    texts = [{"da": "Lukket fredag", "en": "Closed on Friday"}]
    first = change(rec, "set_messages", cid="web-1", messages=texts)
    rec.publish(f"{SETUP}/command", {"v": 1, "id": "web-1", "by": "mette", "action": "set_messages", "messages": texts})
    again = rec.wait_for(lambda msgs: [json.loads(p) for t, p in msgs if t.endswith("/setup/result")][1:])[0]
    assert first == again == {"v": 1, "id": "web-1", "action": "set_messages", "ok": True, "version": 1}
    rec.publish(f"{SETUP}/command", {"v": 1, "id": "web-2", "by": "mette", "action": "reset_messages", "desk": "x"})
    wrong = change(rec, "set_services", by="anna", desk="vol-1", services=["passport"])  # handled after the misfit
    assert not wrong["ok"] and wrong["error"].startswith("today's setup: desks[4].services[0]: a volunteer desk")
    audit = latest(rec, f"{SETUP}/audit")
    assert [(c["by"], c["id"], c["action"], c["detail"]) for c in audit["changes"]] == [
        ("mette", "web-1", "set_messages", {"messages": texts})]
    assert latest(rec, SETUP)["messages"] == texts
    assert "does not go with action 'reset_messages'" in hub.log()


def test_changes_survive_a_hard_kill(hub, rec, recorder):
    change(rec, "close_desk", desk="desk-3")
    change(rec, "cancel_session", date="2026-11-26", time="09:00-12:00")
    change(rec, "set_services", desk="desk-1", services=["passport", "moving"])
    before = latest(rec, SETUP)
    hub.kill()
    with sqlite3.connect(hub.db_path) as db:
        assert db.execute("select count(*) from setup_audit").fetchone()[0] == 3
    hub.start()
    after = recorder(f"{BASE}/#")
    assert latest(after, SETUP) == before and before["version"] == 3
    assert len(latest(after, f"{SETUP}/audit")["changes"]) == 3
    assert result_for(after, command(after, "desk-3", "open"))["error"] == "desk-3 is closed today by the office"
    reply_for(after, request(after, service="pension"))
    reply_for(after, request(after, service="moving"))
    assert result_for(after, command(after, "desk-1", "next"))["ticket"] == "F001", "desk-1 serves moving, not pension"


def test_at_midnight_the_desks_are_as_the_site_file_says_again(tmp_path):
    now = [datetime(2026, 11, 24, 23, 59, tzinfo=SITE.tz)]
    store = Store(tmp_path / "hub.db", local_day=partial(schedule.local_day, SITE))
    hub = Hub(SITE, store, BrokerAddress("127.0.0.1", 1), clock=lambda: now[0]).load()  # never connected
    for body in ({"id": "s-1", "action": "close_desk", "desk": "desk-2"},
                 {"id": "s-2", "action": "cancel_session", "date": "2026-11-26", "time": "09:00-12:00"}):
        assert deliver(hub, f"{SETUP}/command", json.dumps({"v": 1, "by": "mette", **body}).encode()) == 1
    assert hub.office.setup.closed_desks == {"desk-2"}
    with pytest.raises(QueueError):
        hub.state.queue.command("desk-2", "open", now[0])
    now[0] = datetime(2026, 11, 25, 0, 0, 1, tzinfo=SITE.tz)
    with hub.locks.queue():
        hub.housekeeping.tick(now[0])
    hub.pipeline.flush()
    assert hub.office.setup.day == date(2026, 11, 25) and not hub.office.setup.closed_desks
    assert hub.office.setup.cancelled_sessions == {SessionRef(date(2026, 11, 26), "09:00-12:00")}
    hub.state.queue.command("desk-2", "open", now[0])
    assert setup_store.load(store.db) == hub.office.setup
    store.close()


def test_bench_setup_prints_its_figures_and_json(capsys):
    assert main(["bench", "setup", "-c", "config/site.example.toml", "--changes", "4"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["changes"] == 4 and figures["target_max_ms"] == 1000
    assert 0 < figures["change_to_all_ms"]["p50"] <= figures["change_to_all_ms"]["max"]


def test_a_stored_setup_the_site_file_no_longer_allows_is_set_aside_with_a_line(tmp_path, caplog):
    store = Store(tmp_path / "hub.db", local_day=partial(schedule.local_day, SITE))
    gone = OfficeSetup(version=7, day=date(2026, 11, 24), closed_desks=frozenset({"desk-9"}))  # desk-9 left the file
    with store.db.atomic():
        for sql, params in setup_store.statements(gone, None):
            store.db.execute(sql, params)
    hub = Hub(SITE, store, BrokerAddress("127.0.0.1", 1), clock=lambda: datetime(2026, 11, 24, 10, tzinfo=SITE.tz))
    hub.load()
    assert hub.office.setup == OfficeSetup(version=7) and hub.state.site is SITE
    assert "the stored setup no longer fits the site file, using the site file alone: today's setup: desk 'desk-9' " \
           "is not in the site file" in caplog.text
    store.close()
