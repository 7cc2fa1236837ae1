"""install/install.sh in --root mode: the files it writes are valid, safe and stable.

Valid means the real consumers accept them: Mosquitto starts from the written
configuration with the written password and ACL files, ``systemd-analyze verify``
accepts the written and enabled units.  Stable means a second run changes nothing.
"""
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reception.broker import free_port
from reception.cli import EXIT_CONFIG
from tests.conftest import ROOT
from tests.deploy.conftest import Client, broker_from_root, mosquitto_dir, readable_by_mosquitto, secret

INSTALL = ROOT / "install" / "install.sh"


def install(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(INSTALL), *args], capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with its type, mode, link target and content hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        content = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else None
        link = os.readlink(path) if path.is_symlink() else None
        found[str(path.relative_to(root))] = (stat.filemode(st.st_mode), link, content)
    return found


@pytest.fixture(scope="module")
def installed():
    """An all-in-one machine, installed twice; yields (root, first run, second run, the tree after
    each run).  The trees are taken here: other tests of this module change the root afterwards."""
    root = mosquitto_dir()
    first = install("all-in-one", "--root", str(root))
    before = snapshot(root)
    second = install("all-in-one", "--root", str(root))
    yield root, first, second, (before, snapshot(root))
    shutil.rmtree(root)


def test_second_run_changes_nothing(installed):
    _root, first, second, (before, after) = installed
    assert "30 file(s) changed" in first.stderr  # 28 before the web service's unit and docs/web.md
    assert "0 file(s) changed" in second.stderr
    assert after == before


def test_secrets_are_private_and_broker_files_only_for_mosquitto(installed):
    root = installed[0]
    secrets = root / "etc/reception/secrets"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    names = sorted(p.name for p in secrets.iterdir())
    assert names == sorted(f"{a}.password" for a in ("hub", "kiosk-1", "kiosk-2", "board-1", "desk-1", "desk-2",
                                                       "desk-3", "room-1", "vol-1", "vol-2", "web"))
    assert {stat.S_IMODE(p.stat().st_mode) for p in secrets.iterdir()} == {0o600}
    assert len({p.read_text() for p in secrets.iterdir()}) == len(names), "every account has its own password"
    for name in ("conf.d/reception.conf", "reception/passwd", "reception/acl"):
        assert stat.S_IMODE((root / "etc/mosquitto" / name).stat().st_mode) == 0o640


def test_a_secret_left_readable_is_closed_again(installed):
    root = installed[0]
    secret = root / "etc/reception/secrets/hub.password"
    password = secret.read_text()
    secret.chmod(0o644)
    assert "chmod 600: /etc/reception/secrets/hub.password" in install("all-in-one", "--root", str(root)).stderr
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and secret.read_text() == password


def test_mosquitto_starts_from_the_written_files(tmp_path):
    root, port = mosquitto_dir(), free_port()
    install("hub", "--root", str(root), "--port", str(port))
    assert sorted(p.name for p in (root / "etc/systemd/system").glob("reception-*")) == [
        "reception-hub.service", "reception-report.service", "reception-report.timer", "reception-web.service"], \
        "only the hub's units"
    broker = broker_from_root(root, port)
    password = secret(root, "kiosk-1")
    attempts = [Client(port, "kiosk-1", password), Client(port, "kiosk-1", password + "x"),
                Client(port, "hub", password), Client(port, None, None)]
    try:
        assert [c.accepted for c in attempts] == [True, False, False, False]
    finally:
        for c in attempts:
            c.close()
        broker.stop()
        shutil.rmtree(root)


def test_the_optional_tls_listener_serves_devices_and_keeps_plain_mqtt_on_loopback():
    root, plain, tls = mosquitto_dir(), free_port(), free_port()
    cert, key = root / "hub.crt", root / "hub.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    readable_by_mosquitto(cert, key)
    install("hub", "--root", str(root), "--port", str(plain),
            "--tls-cert", str(cert), "--tls-key", str(key), "--tls-port", str(tls))
    assert f"listener {plain} 127.0.0.1" in (root / "etc/mosquitto/conf.d/reception.conf").read_text().splitlines()
    broker = broker_from_root(root, tls)
    kiosk = Client(tls, "kiosk-1", secret(root, "kiosk-1"), ca_file=str(cert))
    try:
        assert kiosk.accepted
        assert kiosk.client.socket().version() in ("TLSv1.2", "TLSv1.3")
    finally:
        kiosk.close()
        broker.stop()
        shutil.rmtree(root)


def test_a_usb_printer_gets_a_udev_rule_for_group_lp(installed, tmp_path):
    site_file = tmp_path / "site.toml"
    site_file.write_text((ROOT / "config/site.example.toml").read_text(encoding="utf-8").replace(
        'connection = "dummy"', 'connection = "usb"\nvendor_id = 0x04b8\nproduct_id = 0x0202', 1), encoding="utf-8")
    root = tmp_path / "kiosk-pi"
    install("kiosk", "--root", str(root), "--config", str(site_file),
            "--secrets-from", str(installed[0] / "etc/reception/secrets"))
    rule = (root / "etc/udev/rules.d/60-reception-printer.rules").read_text()
    assert 'ATTR{idVendor}=="04b8", ATTR{idProduct}=="0202", MODE="0660", GROUP="lp"' in rule


def enabled(root: Path, target: str) -> list[str]:
    return sorted(p.name for p in (root / f"etc/systemd/system/{target}.wants").iterdir())


def verify(systemd_analyze: str, root: Path, *units: str) -> None:
    """verify needs the root to hold systemd's own units and the program the units start."""
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True, dirs_exist_ok=True)
    program = root / "opt/reception/bin/reception"
    program.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(sys.prefix) / "bin" / "reception", program)  # the real entry point of this checkout
    result = subprocess.run([systemd_analyze, "verify", f"--root={root}", *units],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_enabled_units_pass_systemd_analyze_verify(installed, systemd_analyze):
    root = installed[0]
    wants = enabled(root, "multi-user.target")
    assert wants == ["reception-desk@desk-1.service", "reception-desk@vol-1.service",
                     "reception-hub.service", "reception-kiosk@kiosk-1.service", "reception-web.service"]
    assert enabled(root, "timers.target") == ["reception-report.timer"]  # the weekly report
    verify(systemd_analyze, root, *wants, "reception-report.timer", "reception-report.service",
           "reception-board@board-1.service")


def test_the_centre_runs_the_collector_on_its_own_broker(installed, systemd_analyze, tmp_path):
    root = tmp_path / "centre"
    install("central", "--root", str(root), "--site", "toender", "--port", "1884")
    assert enabled(root, "multi-user.target") == ["reception-collect.service"]
    assert "RECEPTION_BROKER_PORT=1884" in (root / "etc/reception/reception.env").read_text().splitlines()
    verify(systemd_analyze, root, "reception-collect.service")
    site_units = {p.name for p in (installed[0] / "etc/systemd/system").glob("reception-*")}
    centre_units = {p.name for p in (root / "etc/systemd/system").glob("reception-*")}
    assert centre_units == {"reception-collect.service"}
    assert site_units | centre_units == {p.name for p in (ROOT / "systemd").iterdir()}, "every unit has a role"


def test_a_device_pi_gets_only_its_own_password(installed, tmp_path):
    hub_secrets = installed[0] / "etc/reception/secrets"
    root = tmp_path / "kiosk-pi"
    refused = install("kiosk", "--root", str(root), "--broker-host", "hub.local", check=False)
    assert refused.returncode == EXIT_CONFIG
    assert "no password for broker account 'kiosk-1'" in refused.stderr and "--secrets-from" in refused.stderr
    assert not root.exists() or not any(root.rglob("*")), "nothing is written before the plan is complete"
    install("kiosk", "--root", str(root), "--broker-host", "hub.local", "--secrets-from", str(hub_secrets))
    assert [p.name for p in (root / "etc/reception/secrets").iterdir()] == ["kiosk-1.password"]
    assert (root / "etc/reception/secrets/kiosk-1.password").read_text() == (hub_secrets / "kiosk-1.password").read_text()
    assert "RECEPTION_BROKER_HOST=hub.local" in (root / "etc/reception/reception.env").read_text().splitlines()
    assert not (root / "etc/mosquitto").exists()
    wants = [p.name for p in (root / "etc/systemd/system/multi-user.target.wants").iterdir()]
    assert wants == ["reception-kiosk@kiosk-1.service"]
    assert [p.name for p in (root / "etc/systemd/system").glob("reception-*")] == ["reception-kiosk@.service"]

    handed_over = tmp_path / "usb-stick"
    handed_over.mkdir()
    (handed_over / "kiosk-1.password").write_text("a new password after the old one leaked\n")
    install("kiosk", "--root", str(root), "--broker-host", "hub.local", "--secrets-from", str(handed_over))
    assert secret(root, "kiosk-1") == "a new password after the old one leaked"


def test_dry_run_writes_nothing(tmp_path):
    result = install("hub", "--root", str(tmp_path / "m"), "--dry-run")
    assert "would create: /etc/mosquitto/reception/passwd" in result.stderr
    assert not (tmp_path / "m").exists()


def test_a_broken_site_file_stops_the_install_with_exit_78(tmp_path):
    bad = tmp_path / "site.toml"
    bad.write_text((ROOT / "config/site.example.toml").read_text().replace('id = "toender"', 'id = "Tønder"', 1))
    result = install("hub", "--root", str(tmp_path / "m"), "--config", str(bad), check=False)
    assert result.returncode == EXIT_CONFIG
    assert "site.id" in result.stderr
    assert not (tmp_path / "m").exists()


def test_unknown_device_ids_are_named(tmp_path):
    result = install("desk", "--root", str(tmp_path / "m"), "--desk", "desk-9", check=False)
    assert result.returncode == EXIT_CONFIG and "no desk 'desk-9'" in result.stderr


def test_a_changed_checkout_is_installed_again_whatever_package_changed():
    """The installer skips pip when its hash of the checkout is unchanged: that hash must cover every
    package pyproject.toml installs (web/ was left out, so a pulled fix of the staff pages never ran)."""
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {name.rstrip("*") for name in include}
    hashed = re.search(r"find pyproject\.toml ([a-z_ ]+) \\\n", INSTALL.read_text())
    assert hashed, "install.sh no longer hashes the checkout with find"
    assert packages <= set(hashed.group(1).split())


def test_installer_script_passes_shellcheck():
    if not shutil.which("shellcheck"):
        pytest.fail("shellcheck is missing: apt-get install shellcheck (in run.sh's APT_TEST_PACKAGES)")
    result = subprocess.run(["shellcheck", str(INSTALL)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout


def test_the_staff_web_serves_https_with_the_certificate_given_to_the_installer(tmp_path):
    root = tmp_path / "hub"
    install("hub", "--root", str(root), "--web-tls-cert", "/etc/ssl/web.pem", "--web-tls-key", "/etc/ssl/web.key")
    env = (root / "etc/reception/reception.env").read_text().splitlines()
    assert {"RECEPTION_WEB_TLS_CERT=/etc/ssl/web.pem", "RECEPTION_WEB_TLS_KEY=/etc/ssl/web.key"} <= set(env)
    half = install("hub", "--root", str(tmp_path / "other"), "--web-tls-cert", "/etc/ssl/web.pem", check=False)
    assert half.returncode == EXIT_CONFIG and "--web-tls-cert and --web-tls-key go together" in half.stderr
