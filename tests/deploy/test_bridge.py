"""A site's Mosquitto bridges its statistics to a central one, and never depends on it.

Two real brokers on loopback, each started from what ``install.sh`` writes: the centre
(``central --site toender``: one account per site bridge, one for the report) and the
site (``hub`` with a ``[bridge]`` in its site file and the password the centre issued),
following docs/multi-site.md step by step.
"""
import shutil
import subprocess
import tomllib

import pytest

from reception import broker_accounts, config
from reception.broker import free_port
from tests.conftest import EXAMPLE_CONFIG, ROOT
from tests.deploy.conftest import Client, broker_from_root, mosquitto_dir, secret

SITE_STATS = "reception/toender/stats/daily"


def install(*args: str) -> None:
    result = subprocess.run([str(ROOT / "install/install.sh"), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def brokers(tmp_path):
    """(site broker, central broker, login); the site's bridge points at the centre."""
    centre_root, site_root = mosquitto_dir(), mosquitto_dir()
    centre_port, site_port = free_port(), free_port()
    install("central", "--root", str(centre_root), "--site", "toender", "--port", str(centre_port))

    site_file = tmp_path / "site.toml"
    site_file.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8")
                         + f'\n[bridge]\nhost = "127.0.0.1"\nport = {centre_port}\ntls = false\n', encoding="utf-8")
    handed_over = site_root / "etc/reception/secrets/central.password"
    handed_over.parent.mkdir(parents=True)
    shutil.copy(centre_root / "etc/reception/secrets/site-toender.password", handed_over)
    install("hub", "--root", str(site_root), "--config", str(site_file), "--port", str(site_port))

    brokers = {"centre": broker_from_root(centre_root, centre_port), "site": broker_from_root(site_root, site_port)}
    roots = {"centre": centre_root, "site": site_root}
    clients = []

    def login(where: str, username: str) -> Client:
        clients.append(Client(brokers[where].port, username, secret(roots[where], username)))
        assert clients[-1].accepted
        return clients[-1]

    yield brokers["site"], brokers["centre"], login
    for c in clients:
        c.close()
    for where, broker in brokers.items():
        broker.stop()
        shutil.rmtree(roots[where])


def test_bridge_config_names_the_centre_and_only_the_stats_topics():
    raw = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    raw["bridge"] = {"host": "central.kommune.dk", "ca_file": "/etc/reception/central-ca.crt"}
    text = broker_accounts.bridge_conf(config.parse(raw), "pw")
    assert "address central.kommune.dk:8883" in text and "bridge_cafile /etc/reception/central-ca.crt" in text
    assert "remote_username site-toender" in text
    assert [line for line in text.splitlines() if line.startswith("topic ")] == [
        "topic reception/toender/stats/# out 1"]


def test_site_statistics_reach_the_centre_and_nothing_else_does(brokers):
    site, centre, login = brokers
    report = login("centre", "report")
    report.subscribe("reception/#")
    hub = login("site", "hub")
    hub.publish("reception/toender/board", b'{"v":1,"calls":[]}', retain=True)
    hub.publish(SITE_STATS, b'{"v":1,"tickets":12}', retain=True)
    report.wait(lambda: report.received(SITE_STATS, b'{"v":1,"tickets":12}'), "stats at the centre", timeout=15)
    assert [t for t, _ in report.messages] == [SITE_STATS], "only statistics leave the site"


def test_a_site_may_only_write_its_own_statistics_at_the_centre(brokers):
    site, centre, login = brokers
    report = login("centre", "report")
    report.subscribe("reception/#")
    toender = login("centre", "site-toender")  # the bridge's account, used directly
    toender.publish("reception/aabenraa/stats/daily", b"forged")
    toender.publish("reception/toender/board", b"not statistics")
    toender.publish("reception/toender/stats/daily", b"marker")  # allowed, and sent last
    report.wait(lambda: report.received("reception/toender/stats/daily", b"marker"), "the marker")
    assert [p for _, p in report.messages] == [b"marker"]


def test_the_site_works_without_the_centre_and_catches_up_after(brokers):
    site, centre, login = brokers
    hub = login("site", "hub")
    hub.subscribe("reception/toender/kiosk/+/ticket/request")
    hub.publish(SITE_STATS, b'{"v":1,"tickets":1}', retain=True)
    report = login("centre", "report")
    report.subscribe("reception/+/stats/#")
    report.wait(lambda: report.received(SITE_STATS, b'{"v":1,"tickets":1}'), "bridge up", timeout=15)

    centre.kill()
    kiosk = login("site", "kiosk-1")
    kiosk.publish("reception/toender/kiosk/kiosk-1/ticket/request", b'{"v":1,"id":"r1"}')
    hub.wait(lambda: hub.received("reception/toender/kiosk/kiosk-1/ticket/request", b'{"v":1,"id":"r1"}'),
             "the site's own traffic while the centre is down")
    hub.publish(SITE_STATS, b'{"v":1,"tickets":2}', retain=True)
    hub.publish("reception/toender/stats/hourly", b'{"v":1,"hour":10}')  # not retained: only a queue keeps it

    centre.start()  # the bridge retries after 2 s (restart_timeout): time enough to subscribe first
    report = login("centre", "report")
    report.subscribe("reception/+/stats/#")
    report.wait(lambda: report.received(SITE_STATS, b'{"v":1,"tickets":2}')
                and report.received("reception/toender/stats/hourly", b'{"v":1,"hour":10}'),
                "stats published during the outage, after the centre's return", timeout=40)
