"""Each Pi gets only what its role needs, and each role's commands run with only that.

The installer says what a role gets (``--root`` mode prints it); each role's Python extras
are then installed into a venv of their own (linked from this suite's environment, no
network) and the role's own service runs there until it tells systemd it is ready.  A
command of another role says in one line which extra it needs, without a traceback.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
import tomllib
from datetime import datetime, timedelta

import pytest

from reception.broker import free_port
from reception.cli import build_parser
from reception.extras import COMMAND_EXTRA, EXIT_UNAVAILABLE, MODULE_EXTRAS
from tests.conftest import EXAMPLE_CONFIG, ROOT, TEST_INSTANT
from tests.deploy import role_venv

INSTALL = ROOT / "install" / "install.sh"
NEEDS = re.compile(r"role (\S+) needs Debian packages: (.*); Python extras: (\S+)")
SCREEN = {"libgl1", "libegl1", "libgles2", "libgbm1", "libdrm2", "libmtdev1"}


def installer_needs(role: str, tmp_path) -> tuple[set[str], list[str]]:
    """What install.sh would put on a ``role`` machine: Debian packages and Python extras.

    It says so before it plans any file, so a device role without its password (exit 78) says it too."""
    result = subprocess.run([str(INSTALL), role, "--root", str(tmp_path / role), "--dry-run", "--site", "x"],
                            capture_output=True, text=True, timeout=60)
    found = NEEDS.search(result.stderr)
    assert found and found.group(1) == role, result.stderr
    return set(found.group(2).split()), found.group(3).split(",")


def distributions(extras: list[str]) -> set[str]:
    return {d.lower() for d in role_venv.distributions(role_venv.project_requirements(extras))}


@pytest.mark.parametrize("role, packages_in, packages_out, dists_in, dists_out", [
    ("hub", {"mosquitto"}, SCREEN | {"espeak-ng", "python3-lgpio", "libusb-1.0-0", "fonts-dejavu-core"},
     {"sqlite-utils", "matplotlib"}, {"kivy", "gpiozero", "python-escpos", "psutil"}),
    ("desk", {"python3-lgpio"}, SCREEN | {"espeak-ng", "mosquitto", "libusb-1.0-0", "fonts-dejavu-core"},
     {"gpiozero", "sqlite-utils"}, {"kivy", "python-escpos", "matplotlib", "psutil"}),
    ("kiosk", SCREEN | {"espeak-ng", "libusb-1.0-0"}, {"mosquitto", "python3-lgpio"},
     {"kivy", "python-escpos", "pillow", "sqlite-utils"}, {"gpiozero", "matplotlib", "psutil"}),
    ("board", SCREEN | {"espeak-ng", "alsa-utils"}, {"mosquitto", "python3-lgpio", "libusb-1.0-0"},
     {"kivy"}, {"gpiozero", "python-escpos", "sqlite-utils", "matplotlib", "psutil"}),
    ("central", {"mosquitto"}, SCREEN | {"espeak-ng", "python3-lgpio"},
     {"sqlite-utils", "matplotlib"}, {"kivy", "gpiozero", "python-escpos"}),
    ("all-in-one", SCREEN | {"mosquitto", "espeak-ng", "python3-lgpio", "libusb-1.0-0"}, set(),
     {"kivy", "gpiozero", "python-escpos", "sqlite-utils", "matplotlib"}, {"psutil"}),
])
def test_each_role_gets_its_own_packages_and_no_others(tmp_path, role, packages_in, packages_out, dists_in,
                                                       dists_out):
    packages, extras = installer_needs(role, tmp_path)
    assert packages_in <= packages and not packages & packages_out
    dists = distributions(extras)
    assert dists_in <= dists and not dists & dists_out, sorted(dists)


def test_the_one_machine_run_and_the_tests_get_every_extra():
    everything = distributions(["all"])
    assert distributions(["hub", "kiosk", "board", "desk", "report", "bench", "web"]) == everything
    assert everything < distributions(["test"])
    run_sh = (ROOT / "run.sh").read_text()
    assert "install_python_project all\n" in run_sh
    assert "install_python_project test all " in run_sh


def test_the_table_of_missing_parts_names_real_extras_and_commands():
    """A wrong entry would send someone to install the wrong extra."""
    for module, extras in MODULE_EXTRAS.items():
        for extra in extras:
            assert module in role_venv.modules(extra), f"the {extra!r} extra brings no module {module!r}"
    commands = build_parser()._subparsers._group_actions[0].choices
    assert set(COMMAND_EXTRA) <= set(commands)
    assert set(COMMAND_EXTRA.values()) <= set(tomllib.loads((ROOT / "pyproject.toml").read_text())
                                                 ["project"]["optional-dependencies"])


# ---------------------------------------------------------------------------
# the role's own service, in a venv holding only the role's extras


@pytest.fixture(scope="module")
def venv_for(tmp_path_factory):
    """``venv_for(role)``: the python of a venv with what the installer gives ``role`` (built once)."""
    made = {}

    def make(role: str):
        if role not in made:
            tmp = tmp_path_factory.mktemp(role)
            extras = [] if role == "core" else installer_needs(role, tmp)[1]
            made[role] = role_venv.build(tmp / "venv", extras)
        return made[role]

    return make


class Systemd:
    """The notify socket systemd gives a Type=notify service: what it said so far."""

    def __init__(self):
        self.path = os.path.join(tempfile.mkdtemp(prefix="sdn"), "notify")  # AF_UNIX paths are short
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(1)
        self.said: set[str] = set()

    def wait_for(self, line: str, proc: subprocess.Popen, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while line not in self.said:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"no {line} (exit {proc.poll()}): {proc.communicate()[1][-3000:]}")
            try:
                self.said |= set(self.sock.recv(4096).decode().splitlines())
            except socket.timeout:
                pass

    def close(self):
        self.sock.close()
        os.unlink(self.path)


def runs_until_ready(python, broker, *args: str) -> None:
    """The service starts in the role's venv, says READY=1, and ends cleanly on SIGTERM."""
    systemd = Systemd()
    env = {**os.environ, "NOTIFY_SOCKET": systemd.path}
    proc = role_venv.start(python, *args, "-c", str(EXAMPLE_CONFIG), "--broker-port", str(broker.port), env=env)
    try:
        systemd.wait_for("READY=1", proc)
        proc.terminate()
        assert proc.wait(15) == 0, proc.communicate()[1][-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        systemd.close()


def test_every_command_lists_its_options_and_checks_the_site_file_with_the_core_alone(venv_for):
    python = venv_for("core")
    for module in ("kivy", "gpiozero", "escpos", "sqlite_utils", "matplotlib", "psutil"):
        assert not role_venv.importable(python, module), f"{module} leaked into the core venv"
    listed = role_venv.run(python, "--help")
    assert listed.returncode == 0 and "kiosk" in listed.stdout and "desk" in listed.stdout, listed.stderr
    for command in ("hub", "kiosk", "board", "desk", "console", "report", "collect", "up"):
        shown = role_venv.run(python, command, "--help")
        assert shown.returncode == 0 and f"usage: reception {command}" in shown.stdout, shown.stderr
    checked = role_venv.run(python, "check-config", "-c", str(EXAMPLE_CONFIG))
    assert checked.returncode == 0 and ": OK: site 'toender'" in checked.stdout, checked.stderr


def test_the_hub_and_its_weekly_report_run_on_a_hub_pi(venv_for, broker, tmp_path):
    python = venv_for("hub")
    assert not any(role_venv.importable(python, m) for m in ("kivy", "gpiozero", "escpos"))
    runs_until_ready(python, broker, "hub", "--db", str(tmp_path / "hub.db"))
    runs_until_ready(python, broker, "web", "--db", str(tmp_path / "web.db"), "--port", str(free_port()))
    made = role_venv.run(python, "demo-data", "-c", str(EXAMPLE_CONFIG), "--db", str(tmp_path / "demo.db"),
                         "--days", "1")
    day = (datetime.fromisoformat(TEST_INSTANT) - timedelta(days=1)).date().isoformat()
    report = role_venv.run(python, "report", "--from", day, "--to", day, "--db", str(tmp_path / "demo.db"),
                           "--out", str(tmp_path / "reports"))
    assert made.returncode == 0 and report.returncode == 0, made.stderr + report.stderr
    assert "<svg" in (tmp_path / "reports" / f"report-{day}-{day}.html").read_text(), "charts drawn by matplotlib"


def test_desk_units_run_on_a_desk_pi(venv_for, broker, tmp_path):
    python = venv_for("desk")
    assert not any(role_venv.importable(python, m) for m in ("kivy", "escpos", "matplotlib"))
    runs_until_ready(python, broker, "desk", "--mock-pins", "--outbox", str(tmp_path / "outbox.db"))


def test_the_board_runs_on_a_board_pi(venv_for, broker, xvfb, tmp_path):
    python = venv_for("board")
    assert not any(role_venv.importable(python, m) for m in ("gpiozero", "escpos", "sqlite_utils"))
    runs_until_ready(python, broker, "board", "--announce-dir", str(tmp_path / "speech"), "--size", "640x360")


def test_the_kiosk_runs_on_a_kiosk_pi(venv_for, broker, xvfb, tmp_path):
    python = venv_for("kiosk")
    assert not any(role_venv.importable(python, m) for m in ("gpiozero", "matplotlib"))
    runs_until_ready(python, broker, "kiosk", "--state-dir", str(tmp_path / "kiosk"))
    preview = role_venv.run(python, "print-preview", "-c", str(EXAMPLE_CONFIG), "--out", str(tmp_path / "t.png"),
                            "--print")
    assert preview.returncode == 0 and (tmp_path / "t.png").stat().st_size > 0, preview.stderr


@pytest.mark.parametrize("role, command, extra", [
    ("desk", "kiosk -c {site} --broker-port 1", "kiosk"),
    ("desk", "board -c {site} --broker-port 1", "board"),
    ("hub", "desk --mock-pins -c {site} --broker-port 1 --outbox {tmp}/outbox.db", "desk"),
    ("board", "hub -c {site} --broker-port 1 --db {tmp}/hub.db", "hub"),
    ("hub", "print-preview -c {site} --out {tmp}/ticket.png", "kiosk"),
    ("board", "report --last-week --db {tmp}/none.db", "report"),
    ("desk", "web -c {site} --broker-port 1 --db {tmp}/web.db", "web"),
    ("kiosk", "user list --db {tmp}/web.db", "web"),
])
def test_a_command_of_another_role_names_the_extra_it_needs(venv_for, tmp_path, role, command, extra):
    args = command.format(site=EXAMPLE_CONFIG, tmp=tmp_path).split()
    result = role_venv.run(venv_for(role), *args)
    assert result.returncode == EXIT_UNAVAILABLE, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"reception {args[0]} needs the '{extra}' extra"), result.stderr
    assert f"pip install '.[{extra}]'" in result.stderr


def test_a_desk_pi_without_a_pin_driver_says_what_to_install(venv_for, tmp_path):
    if os.path.exists("/proc/device-tree/model"):
        pytest.skip("a Raspberry Pi: gpiozero's own driver may work here")
    env = {k: v for k, v in os.environ.items() if k != "GPIOZERO_PIN_FACTORY"}
    result = role_venv.run(venv_for("desk"), "desk", "-c", str(EXAMPLE_CONFIG), "--broker-port", "1",
                           "--outbox", str(tmp_path / "outbox.db"), env=env)
    assert result.returncode == EXIT_UNAVAILABLE and "Traceback" not in result.stderr, result.stderr
    last = result.stderr.splitlines()[-1]  # after gpiozero's own warnings, one per driver it tried
    assert last.startswith("reception desk: no GPIO pin driver here") and "python3-lgpio" in last, last
    assert "--mock-pins" in last
