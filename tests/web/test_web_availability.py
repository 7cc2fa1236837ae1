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
