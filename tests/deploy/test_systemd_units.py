"""The unit files: hardened enough for systemd-analyze, and consistent with the code they start."""
import configparser
import re
import subprocess

import pytest

from reception.cli import EXIT_CONFIG, build_parser
from tests.conftest import ROOT

UNITS = ("reception-hub.service", "reception-kiosk@.service", "reception-board@.service", "reception-desk@.service")
LEVELS_OK_OR_BETTER = ("PERFECT", "SAFE", "OK")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(ROOT / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_security_exposure_is_ok_or_better(systemd_analyze, name):
    result = subprocess.run([systemd_analyze, "security", "--offline=true", str(ROOT / "systemd" / name)],
                            capture_output=True, text=True, timeout=30)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d) (\w+)", result.stdout)
    assert match, result.stdout[-500:] + result.stderr
    score, level = float(match.group(1)), match.group(2)
    assert level in LEVELS_OK_OR_BETTER and score <= 2.0, f"{name}: {score} {level}"


@pytest.mark.parametrize("name", UNITS)
def test_every_service_is_supervised_the_same_way(name):
    service = unit(name)["Service"]
    assert service["Type"] == "notify" and int(service["WatchdogSec"]) > 0
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == str(EXIT_CONFIG)
    assert service["User"] == "reception" and service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict" and service["CapabilityBoundingSet"] == ""
    assert service["LoadCredential"].startswith("mqtt-password:/etc/reception/secrets/")


@pytest.mark.parametrize("name", UNITS)
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
                                           ("reception-board@.service", "%i"), ("reception-desk@.service", "%i")])
def test_each_unit_logs_in_as_its_own_account(name, account):
    text = (ROOT / "systemd" / name).read_text()
    assert f"Environment=RECEPTION_MQTT_USERNAME={account}\n" in text
    assert f"LoadCredential=mqtt-password:/etc/reception/secrets/{'hub' if account == 'hub' else '%i'}.password" in text
    assert "Environment=RECEPTION_MQTT_PASSWORD_FILE=%d/mqtt-password\n" in text
