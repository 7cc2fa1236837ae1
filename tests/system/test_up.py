"""``reception up``: the whole system on one machine from one command, and stopped by Ctrl-C."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest

from reception import broker as broker_module, clock
from reception.broker import free_port
from reception.errors import BrokerMissing
from tests.conftest import EXAMPLE_CONFIG, ROOT
from web.accounts import Accounts


def test_a_missing_mosquitto_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(broker_module, "SBIN_DIRS", ("/nonexistent",))
    with pytest.raises(BrokerMissing, match="apt-get install mosquitto"):
        broker_module.find_mosquitto()


def test_up_runs_every_part_and_ctrl_c_stops_them_all(tmp_path, xvfb):
    port = free_port()
    up = subprocess.Popen([sys.executable, "-m", "reception.cli", "up", "-c", str(EXAMPLE_CONFIG),
                           "--broker-port", str(port), "--data", str(tmp_path / "var"), "--no-console"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          text=True)
    children = []
    try:
        names = _wait_for_children(up, {"hub", "kiosk", "board"}, timeout=60)
        assert names >= {"hub", "kiosk", "board"}
        # The hub answers on the private broker, which `up` started on the port asked for.
        sub = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-C", "1", "-W", "10",
                              "-t", "reception/toender/hub/available"], capture_output=True, text=True, timeout=20)
        assert json.loads(sub.stdout) == {"v": 1, "status": "online"}
        children = psutil.Process(up.pid).children(recursive=True)
        assert any("mosquitto" in c.name() for c in children)
    finally:
        up.send_signal(signal.SIGINT)
        out, _ = up.communicate(timeout=40)
    assert up.returncode == 0, out
    assert "Stopping" in out
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"


def _wait_for_children(up, wanted, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if up.poll() is not None:
            raise AssertionError(up.stdout.read())
        cmdlines = [" ".join(c.cmdline()) for c in psutil.Process(up.pid).children(recursive=True)]
        names = {w for w in wanted if any(f"reception.cli {w} " in c for c in cmdlines)}
        if names >= wanted:
            time.sleep(3)  # let the windows open before the test looks further
            return names
        time.sleep(0.2)
    raise AssertionError(f"not all parts started: {cmdlines}")


def test_up_without_a_terminal_says_why_there_is_no_desk_console(tmp_path):
    web_port = free_port()
    up = subprocess.Popen([sys.executable, "-m", "reception.cli", "up", "-c", str(EXAMPLE_CONFIG),
                           "--broker-port", str(free_port()), "--data", str(tmp_path / "var"),
                           "--no-kiosk", "--no-board", "--web-port", str(web_port)],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                          text=True)
    try:
        lines = []
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = up.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
    finally:
        up.send_signal(signal.SIGINT)
        out, _ = up.communicate(timeout=40)
    said = "".join(lines)
    assert "no terminal (standard input is not a tty): no desk console" in said
    console = re.search(r"^    (\S+) console -c .* --desk desk-1$", said, re.M)
    assert console, said
    assert shutil.which(console.group(1), path=f"{os.environ['PATH']}{os.pathsep}{ROOT}"), \
        f"{console.group(1)!r} is no command this shell can run (./run.sh up does not activate the venv)"
    login = re.search(rf"Staff web: http://127.0.0.1:{web_port}/  first login: leder / (\S+) \(manager", said)
    assert login, said
    accounts = Accounts(tmp_path / "var" / "web.db", clock.from_env())
    assert accounts.verify("leder", login.group(1)).role == "manager"
    accounts.close()
    assert up.returncode == 0, out
