"""Devices that vanish: SIGKILL a kiosk, a board, a desk's button unit and a desk console.

Each runs as the appliance runs it (its own ``reception`` process) against a real
Mosquitto and hub.  Killed, the broker publishes its Last Will and the hub raises an
``unreachable`` alert for the desks; restarted, the alert clears; stopped cleanly, it
says "stopped" and no alert is raised.
"""
import json
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import EXAMPLE_CONFIG, ROOT

BASE = "reception/toender"
GONE = "unreachable"


def device_commands(broker, tmp_path) -> dict[str, list[str]]:
    """The command line of each device, by the name its alert carries."""
    common = ["-c", str(EXAMPLE_CONFIG), "--broker-port", str(broker.port)]
    return {
        "kiosk-1": ["kiosk", *common, "--kiosk", "kiosk-1", "--state-dir", str(tmp_path / "kiosk"),
                    "--size", "800x480"],
        "board-1": ["board", *common, "--board", "board-1", "--announce-dir", str(tmp_path / "speech"),
                    "--size", "640x360"],
        "desk-1/buttons": ["desk", *common, "--desk", "desk-1", "--mock-pins", "--outbox", str(tmp_path / "b.db")],
        "desk-2/console": ["console", *common, "--desk", "desk-2", "--outbox", str(tmp_path / "c.db")],
    }


def availability_topic(device: str) -> str:
    kind = "desk" if "/" in device else device.split("-")[0]
    return f"{BASE}/{kind}/{device}/available"


class Devices:
    def __init__(self, commands: dict[str, list[str]], log_dir):
        self.commands, self.log_dir = commands, log_dir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        for name, args in self.commands.items():
            log = open(self.log_dir / f"{name.replace('/', '-')}.log", "ab")
            self.procs[name] = subprocess.Popen([sys.executable, "-m", "reception.cli", *args], cwd=ROOT,
                                                stdin=subprocess.PIPE if args[0] == "console" else subprocess.DEVNULL,
                                                stdout=log, stderr=subprocess.STDOUT)

    def signal(self, signum: int) -> None:
        for proc in self.procs.values():
            proc.send_signal(signum)
        for proc in self.procs.values():
            proc.wait(60)

    def logs(self) -> str:
        """The end of each device's log, to explain a failure."""
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-1500:]}"
                         for path in sorted(self.log_dir.glob("*.log")))

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


@pytest.fixture
def devices(xvfb, broker, tmp_path):
    d = Devices(device_commands(broker, tmp_path), tmp_path)
    yield d
    d.close()


def statuses(msgs, device: str) -> list[str]:
    return [json.loads(p)["status"] for t, p in msgs if t == availability_topic(device) and p]


def latest_alerts(msgs) -> dict[str, str] | None:
    bodies = [json.loads(p) for t, p in msgs if t == f"{BASE}/alerts" and p]
    return {a["device"]: a["problem"] for a in bodies[-1]["alerts"]} if bodies else None


def eventually(condition, explain, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, explain()
        time.sleep(0.1)


def test_a_killed_device_raises_an_alert_that_clears_when_it_is_back(hub, devices, watching_console, recorder):
    try:
        kill_restart_and_stop(hub, devices, watching_console, recorder)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{devices.logs()}") from None


def kill_restart_and_stop(hub, devices, watching_console, recorder) -> None:
    names = list(devices.commands)
    rec = recorder(f"{BASE}/alerts", f"{BASE}/+/+/available", f"{BASE}/desk/+/+/available")
    devices.start()
    rec.wait_for(lambda msgs: all(statuses(msgs, n)[-1:] == ["online"] for n in names), 90)

    devices.signal(signal.SIGKILL)
    rec.wait_for(lambda msgs: all(statuses(msgs, n)[-1:] == ["offline"] for n in names), 30)
    assert rec.wait_for(lambda msgs: latest_alerts(msgs) == {n: GONE for n in names} and latest_alerts(msgs), 30)
    eventually(lambda: all(f"{n} went offline without a word" in hub.log() for n in names), hub.log)
    said = [f"! {n}: svarer ikke (slukket eller uden net)" for n in names]
    shown = lambda: watching_console.read_text(encoding="utf-8")
    eventually(lambda: all(line in shown() for line in said), lambda: shown()[-1500:])

    mark = len(rec.messages)
    devices.start()
    rec.wait_for(lambda msgs: all(statuses(msgs[mark:], n)[-1:] == ["online"] for n in names), 90)
    rec.wait_for(lambda msgs: latest_alerts(msgs[mark:]) == {}, 30)

    devices.signal(signal.SIGTERM)  # switched off on purpose: said, and no alert
    assert all(p.returncode == 0 for p in devices.procs.values())
    rec.wait_for(lambda msgs: all(statuses(msgs, n)[-1:] == ["stopped"] for n in names), 30)
    assert latest_alerts(rec.messages) == {}
