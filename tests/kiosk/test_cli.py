"""``reception kiosk`` as the appliance runs it: its own process, window, broker account, status."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile

import pytest

from tests.kiosk.conftest import EXAMPLE, ROOT


@pytest.fixture
def notify_socket():
    """A datagram socket standing where systemd's would be (the unit is Type=notify with a watchdog)."""
    path = os.path.join(tempfile.mkdtemp(prefix="sdn"), "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(30)
    yield path, sock
    sock.close()
    os.unlink(path)


def test_the_kiosk_command_starts_reports_its_printer_and_stops(xvfb, broker, recorder, site, tmp_path,
                                                                 notify_socket):
    path, sock = notify_socket
    status = recorder(f"reception/{site.id}/kiosk/kiosk-1/status")
    env = {**os.environ, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000"}
    proc = subprocess.Popen([sys.executable, "-m", "reception.cli", "kiosk", "-c", str(EXAMPLE), "--kiosk", "kiosk-1",
                             "--broker-port", str(broker.port), "--state-dir", str(tmp_path / "state"),
                             "--size", "1280x800"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = status.wait_for(lambda msgs: [json.loads(p) for _t, p in msgs if p], 30)[-1]
        assert body == {"v": 1, "printer": "ok", "outbox": 0}
        assert (tmp_path / "state" / "outbox.db").exists()
        said = [sock.recv(4096).decode() for _ in range(3)]
        assert said[0].startswith("READY=1") and said[1:] == ["WATCHDOG=1", "WATCHDOG=1"]
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err[-2000:]
    assert b"Traceback" not in err and b"kiosk kiosk-1 stopped" in err
    assert "STOPPING=1" in [m for m in iter_datagrams(sock)]


def iter_datagrams(sock):
    sock.settimeout(0.2)
    while True:
        try:
            yield sock.recv(4096).decode()
        except OSError:
            return


def test_an_unknown_kiosk_id_is_a_configuration_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "reception.cli", "kiosk", "-c", str(EXAMPLE), "--kiosk", "kiosk-9",
                           "--state-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 78
    assert "site.example.toml: kiosks: no kiosk with id 'kiosk-9'" in done.stderr
