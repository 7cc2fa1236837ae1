"""The desk console shows today's figures from the real hub: waiting, served, average wait."""
import io
import json
import time
import uuid

from hardware.console import Console

BASE = "reception/toender"


def test_console_shows_the_days_live_figures_from_the_hub(hub, recorder, desk_client):
    rec = recorder(f"{BASE}/kiosk/+/ticket/reply")
    for _ in range(3):
        rec.publish(f"{BASE}/kiosk/kiosk-1/ticket/request", {"v": 1, "id": uuid.uuid4().hex, "service": "moving"})
    rec.wait_for(lambda msgs: len(msgs) == 3)
    out = io.StringIO()
    Console(desk_client("desk-1", role="console"), out)
    deadline = time.monotonic() + 20
    while "I dag: 3 venter, 0 betjent" not in out.getvalue():
        assert time.monotonic() < deadline, out.getvalue()[-600:]
        time.sleep(0.2)
    assert json.loads(rec.messages[0][1])["ok"]
