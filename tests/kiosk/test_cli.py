"""``reception kiosk`` as the appliance runs it: its own process, window, broker account, status."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.kiosk.conftest import EXAMPLE, ROOT


def test_the_kiosk_command_starts_reports_its_printer_and_stops(xvfb, broker, recorder, site, tmp_path):
    status = recorder(f"reception/{site.id}/kiosk/kiosk-1/status")
    proc = subprocess.Popen([sys.executable, "-m", "reception.cli", "kiosk", "-c", str(EXAMPLE), "--kiosk", "kiosk-1",
                             "--broker-port", str(broker.port), "--state-dir", str(tmp_path / "state"),
                             "--size", "1280x800"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = status.wait_for(lambda msgs: [json.loads(p) for _t, p in msgs if p], 30)[-1]
        assert body == {"v": 1, "printer": "ok", "detail": "", "outbox": 0}
        assert (tmp_path / "state" / "outbox.db").exists()
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err[-2000:]
    assert b"Traceback" not in err and b"kiosk kiosk-1 stopped" in err


def test_an_unknown_kiosk_id_is_a_configuration_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "reception.cli", "kiosk", "-c", str(EXAMPLE), "--kiosk", "kiosk-9",
                           "--state-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 78
    assert "site.example.toml: kiosks: no kiosk with id 'kiosk-9'" in done.stderr
