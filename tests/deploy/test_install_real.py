"""install.sh for real (apt, user, venv, files), twice, on a throw-away layer over this machine.

Opt-in (RECEPTION_TEST_REAL_INSTALL=1): it needs root, mount namespaces and the package
indexes, and takes about half a minute.  /etc, /usr, /var and /opt are overlaid with
empty layers inside a namespace of its own, so the machine itself is untouched.  Without
a running systemd the installer enables the units and leaves starting them to the boot;
Debian's own Mosquitto configuration is then started by hand with what it wrote.
"""
import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(os.environ.get("RECEPTION_TEST_REAL_INSTALL") != "1",
                                reason="opt-in: RECEPTION_TEST_REAL_INSTALL=1 (root; installs packages in an overlay)")

OVERLAY = """set -e
for d in etc usr var opt; do
  mkdir -p "$LAYERS/up/$d" "$LAYERS/work/$d"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$LAYERS/up/$d,workdir=$LAYERS/work/$d" "/$d"
done
"""
INSTALL_TWICE = OVERLAY + """
snapshot() {
  find /etc/reception /etc/mosquitto /etc/systemd/system /opt/reception -printf '%M %u:%g %p %l\\n' | sort
  find /etc/reception /etc/mosquitto /etc/systemd/system -type f -exec sha256sum {} + | sort -k2
}
"$CHECKOUT/install/install.sh" all-in-one 2> "$LAYERS/first.log"
snapshot > "$LAYERS/first.snapshot"
"$CHECKOUT/install/install.sh" all-in-one 2> "$LAYERS/second.log"
snapshot > "$LAYERS/second.snapshot"
"""
DEBIAN_BROKER = OVERLAY + """
ip link set lo up
mkdir -p /run/mosquitto && chown mosquitto: /run/mosquitto
/usr/sbin/mosquitto -c /etc/mosquitto/mosquitto.conf -d
sleep 1
pub() { mosquitto_pub -h 127.0.0.1 -q 1 -t reception/toender/kiosk/kiosk-1/status -m '{"v":1}' "$@"; }
pub -u kiosk-1 -P "$(cat /etc/reception/secrets/kiosk-1.password)" && echo "kiosk-1 accepted"
pub -u kiosk-1 -P wrong || echo "wrong password refused"
pub || echo "anonymous refused"
kill "$(cat /run/mosquitto/mosquitto.pid)"
"""


def in_namespace(script: str, layers, checkout, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "--mount", *flags, "bash", "-c", script], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "LAYERS": str(layers), "CHECKOUT": str(checkout)})


def test_a_real_install_twice_changes_nothing_the_second_time(tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare")
    checkout = tmp_path / "checkout"  # HEAD, copied: pip builds inside the source tree
    checkout.mkdir()
    subprocess.run(f"git -C '{ROOT}' archive HEAD | tar -x -C '{checkout}'", shell=True, check=True)

    installed = in_namespace(INSTALL_TWICE, tmp_path, checkout)
    first, second = (tmp_path / "first.log").read_text(), (tmp_path / "second.log").read_text()
    assert installed.returncode == 0, first + second + installed.stderr
    assert "27 file(s) changed" in first and (tmp_path / "up/opt/reception/bin/reception").exists()
    assert "/opt/reception is up to date" in second and "0 file(s) changed" in second
    assert (tmp_path / "first.snapshot").read_text() == (tmp_path / "second.snapshot").read_text()

    broker = in_namespace(DEBIAN_BROKER, tmp_path, checkout, "--net")
    assert broker.stdout.split("\n")[:3] == ["kiosk-1 accepted", "wrong password refused", "anonymous refused"], \
        broker.stdout + broker.stderr
