"""The unit files: hardened enough for systemd-analyze, and consistent with the code they start."""
import configparser
import os
import random
import re
import shlex
import subprocess
import sys
from datetime import datetime, time, timedelta, timezone

import pytest

from hub.daily_stats import DailyStats
from hub.report.cli import last_week
from hub.simulation.demo import new_store, play_day
from hub.stats_db import StatsDB
from reception import clock, config
from reception.cli import EXIT_CONFIG, build_parser
from reception.extras import EXIT_UNAVAILABLE
from tests.conftest import EXAMPLE_CONFIG, ROOT
from tests.insight.helpers import number, read_csv

UNIT_DIR = ROOT / "systemd"
SERVICES = sorted(p.name for p in UNIT_DIR.glob("*.service"))
# Everything but the weekly report (a oneshot) runs for ever and is watched the same way.
LONG_RUNNING = [name for name in SERVICES if name != "reception-report.service"]
LEVELS_OK_OR_BETTER = ("PERFECT", "SAFE", "OK")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(ROOT / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", SERVICES)
def test_security_exposure_is_ok_or_better(systemd_analyze, name):
    result = subprocess.run([systemd_analyze, "security", "--offline=true", str(ROOT / "systemd" / name)],
                            capture_output=True, text=True, timeout=30)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d) (\w+)", result.stdout)
    assert match, result.stdout[-500:] + result.stderr
    score, level = float(match.group(1)), match.group(2)
    assert level in LEVELS_OK_OR_BETTER and score <= 2.0, f"{name}: {score} {level}"


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_service_is_supervised_the_same_way(name):
    service = unit(name)["Service"]
    assert service["Type"] == "notify" and int(service["WatchdogSec"]) > 0
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"].split() == [str(EXIT_CONFIG), str(EXIT_UNAVAILABLE)]  # no loop
    assert service["User"] == "reception" and service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict" and service["CapabilityBoundingSet"] == ""
    assert service["LoadCredential"].startswith("mqtt-password:/etc/reception/secrets/")


@pytest.mark.parametrize("name", SERVICES)
def test_exec_start_is_a_command_line_the_program_accepts(name):
    """The unit starts ``reception <command> ...``; parse it with the real parser (%i = an instance id)."""
    argv = unit(name)["Service"]["ExecStart"].replace("%i", "x-1").replace("${STATE_DIRECTORY}", "/var/lib/x")
    program, command, *rest = argv.split()
    assert program == "/opt/reception/bin/reception"
    parser = build_parser()
    if command not in parser._subparsers._group_actions[0].choices:
        pytest.skip(f"'reception {command}' has not landed in this checkout yet")
    args = parser.parse_args([command, *rest])
    assert args.func


@pytest.mark.parametrize("name, account", [("reception-hub.service", "hub"), ("reception-kiosk@.service", "%i"),
                                           ("reception-board@.service", "%i"), ("reception-desk@.service", "%i"),
                                           ("reception-collect.service", "report"), ("reception-web.service", "web")])
def test_each_unit_logs_in_as_its_own_account(name, account):
    text = (ROOT / "systemd" / name).read_text()
    assert f"Environment=RECEPTION_MQTT_USERNAME={account}\n" in text
    assert f"LoadCredential=mqtt-password:/etc/reception/secrets/{account}.password" in text
    assert "Environment=RECEPTION_MQTT_PASSWORD_FILE=%d/mqtt-password\n" in text


def test_the_report_runs_weekly_without_network():
    timer = unit("reception-report.timer")
    assert timer["Timer"]["OnCalendar"].startswith("Mon ") and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    service = unit("reception-report.service")["Service"]
    assert service["Type"] == "oneshot" and "Restart" not in service
    assert service["PrivateNetwork"] == "yes" and service["IPAddressDeny"] == "any"
    assert service["RestrictAddressFamilies"] == "AF_UNIX"


@pytest.fixture(scope="module")
def hub_file(tmp_path_factory):
    """A hub's file holding last week's Monday with its final aggregate, as the hub leaves it at the day change."""
    site = config.load(EXAMPLE_CONFIG)
    monday, _sunday = last_week(clock.from_env()().astimezone().date())
    hub_dir = tmp_path_factory.mktemp("root") / "var/lib/reception-hub"
    store = new_store(site, hub_dir / "hub.sqlite")
    play_day(site, store, monday, random.Random(1116), arrivals_per_hour=6)
    DailyStats(site, StatsDB(store.db)).finish_past_days(datetime.combine(monday + timedelta(days=1), time(5),
                                                                          timezone.utc))
    store.close()
    return site, hub_dir


def read_only(paths: list[str], argv: list[str]) -> list[str]:
    """``argv`` with ``paths`` read-only, as ``ReadOnlyPaths=`` makes them: a read-only bind mount in a
    mount namespace of its own for root (file modes do not stop root), the file mode otherwise.
    A root without the right to make a mount namespace (a locked-down container) gets the file mode
    too: the report is still made and checked, only the read-only guard is not enforced there."""
    if os.geteuid() != 0 or subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode != 0:
        for path in paths:
            os.chmod(path, 0o444)
        return argv
    binds = " && ".join(f"mount --bind -o ro {shlex.quote(p)} {shlex.quote(p)}" for p in paths)
    return ["unshare", "--mount", "sh", "-c", f'{binds} && exec "$@"', "sh", *argv]


@pytest.mark.parametrize("hub_running", [True, False], ids=["hub-running", "hub-stopped"])
def test_the_report_unit_makes_last_weeks_report_from_the_hub_file_it_cannot_change(hub_file, tmp_path, hub_running):
    """ExecStart as written, paths moved under a temporary root; the hub's file read-only as the unit mounts it.

    With the hub running, SQLite's -wal and -shm exist; with it stopped, the reader must create
    them beside the file: that is why the unit leaves the hub's folder writable.
    """
    site, hub_dir = hub_file
    root = hub_dir.parents[2]
    text = (UNIT_DIR / "reception-report.service").read_text()
    service = unit("reception-report.service")["Service"]
    reports, cache = tmp_path / "reception-reports", tmp_path / "cache"
    reports.mkdir()
    moved = {"/opt/reception/bin/reception": os.path.join(sys.prefix, "bin", "reception"),
             "${STATE_DIRECTORY}": str(reports), "/var/lib/": f"{root}/var/lib/", "%C": str(cache)}

    def move(value: str) -> str:
        for old, new in moved.items():
            value = value.replace(old, new)
        return value

    argv = shlex.split(move(service["ExecStart"]))
    assert argv[argv.index("--db") + 1] == str(hub_dir / "hub.sqlite")
    env = dict(item.split("=", 1) for line in re.findall(r"^Environment=(.*)$", text, re.M)
               for item in shlex.split(move(line)))
    protected = [move(p.lstrip("-")) for p in service["ReadOnlyPaths"].split()]
    assert protected == [str(hub_dir / "hub.sqlite")]
    writer = new_store(site, hub_dir / "hub.sqlite") if hub_running else None  # holds -wal and -shm open
    assert (hub_dir / "hub.sqlite-shm").exists() == hub_running
    try:
        result = subprocess.run(read_only(protected, argv), capture_output=True, text=True, timeout=60,
                                env={**os.environ, **env})
    finally:
        if writer:
            writer.close()
        os.chmod(protected[0], 0o640)
    assert result.returncode == 0, result.stderr
    monday, sunday = last_week(clock.from_env()().astimezone().date())
    html = reports / f"report-{monday}-{sunday}.html"
    assert html.is_file() and "<svg" in html.read_text()
    figures = read_csv(reports / f"report-{monday}-{sunday}.csv")
    assert number(figures, "overall", "all", "visits") > 0, "the report read the hub's Monday"
