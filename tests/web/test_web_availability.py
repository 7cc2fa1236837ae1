"""The web service does not vanish silently: killed, the desks' consoles say so; back or stopped, they do not.

A real Mosquitto, hub, desk console and ``reception web`` process: SIGKILLed, the broker publishes
the web service's Last Will on ``web/available`` and the hub raises ``unreachable`` for ``web``,
which the console shows in plain Danish; started again, the alert clears; stopped cleanly
(SIGTERM, as systemd stops it), it says "stopped" and no alert is raised.
"""
import json

from bench.web_rig import WebProcess
from tests.system.test_vanishing_devices import eventually, latest_alerts
from tests.web.conftest import USERS
from web.cli import CLIENT_ID_RE, default_client_id

BASE = "reception/toender"
SAID = "! webtjenesten (personalets browsersider og borgernes telefonside): svarer ikke (slukket eller uden net)"


def statuses(msgs) -> list[str]:
    return [json.loads(p)["status"] for t, p in msgs if t == f"{BASE}/web/available" and p]


def test_a_killed_web_service_raises_an_alert_that_clears_when_it_is_back(hub, broker, recorder, watching_console,
                                                                         tmp_path):
    rec = recorder(f"{BASE}/alerts", f"{BASE}/web/available")
    rec.settle()
    web = WebProcess(broker, tmp_path / "web.db", USERS).start()
    try:
        rec.wait_for(lambda msgs: statuses(msgs)[-1:] == ["online"], 30)
        web.kill()
        rec.wait_for(lambda msgs: statuses(msgs)[-1:] == ["offline"], 30)
        rec.wait_for(lambda msgs: latest_alerts(msgs) == {"web": "unreachable"}, 30)
        shown = lambda: watching_console.read_text(encoding="utf-8")
        eventually(lambda: SAID in shown(), lambda: shown()[-1500:])
        assert "web went offline without a word" in hub.log()

        mark = len(rec.messages)
        web.start()
        rec.wait_for(lambda msgs: statuses(msgs[mark:])[-1:] == ["online"], 30)
        rec.wait_for(lambda msgs: latest_alerts(msgs[mark:]) == {}, 30)

        web.stop()  # switched off on purpose: said, and no alert
        assert web.proc.returncode == 0, web.log()
        rec.wait_for(lambda msgs: statuses(msgs)[-1:] == ["stopped"], 30)
        assert latest_alerts(rec.messages) == {}
    finally:
        web.stop()


def test_each_instance_has_a_client_id_of_its_own_that_outlives_a_restart():
    assert default_client_id(8080, host="borgerservice-pi.local") == "web-borgerservice-pi-local-8080"
    assert default_client_id(8080, host="borgerservice-pi.local") != default_client_id(8081, host="borgerservice-pi.local")
    assert default_client_id(8080, host="a") != default_client_id(8080, host="b")
    assert CLIENT_ID_RE.fullmatch(default_client_id(8080, host="Ærø ## " + "x" * 80))


def test_two_instances_do_not_throw_each_other_off_and_the_one_left_stays_online(hub, broker, recorder, tmp_path):
    """An upgrade's overlap: the new instance starts beside the old, then the old stops cleanly."""
    rec = recorder(f"{BASE}/alerts", f"{BASE}/web/available")
    rec.settle()
    old = WebProcess(broker, tmp_path / "old" / "web.db", USERS)
    new = WebProcess(broker, tmp_path / "new" / "web.db", USERS)
    try:
        old.start()
        rec.wait_for(lambda msgs: statuses(msgs)[-1:] == ["online"], 30)
        mark = len(rec.messages)
        new.start()
        rec.wait_for(lambda msgs: statuses(msgs[mark:])[-1:] == ["online"], 30)
        old.stop()
        rec.wait_for(lambda msgs: statuses(msgs[mark:])[-2:] == ["stopped", "online"], 30)  # the new one answers
        assert new.proc.poll() is None
        new.stop()
        for web in (old, new):
            assert "lost the broker" not in web.log(), web.log()  # one client id would have thrown one off
        assert latest_alerts(rec.messages) in (None, {})
    finally:
        old.stop()
        new.stop()
