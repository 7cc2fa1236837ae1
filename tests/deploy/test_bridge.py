"""A site's Mosquitto bridges its statistics to a central one, and never depends on it.

Two real brokers on loopback, both started from the generated configuration: the site
(accounts, ACL and the ``[bridge]`` from its site file) and the centre (one account per
site bridge, one for the report).
"""
import shutil
import tomllib

import pytest

from reception import broker_accounts, config
from tests.conftest import EXAMPLE_CONFIG
from tests.deploy.conftest import Client, ConfiguredBroker, mosquitto_dir, readable_by_mosquitto

SITE_STATS = "reception/toender/stats/daily"


def write_accounts(directory, acl: str, passwords: dict) -> tuple[str, str]:
    (directory / "passwd").write_text(broker_accounts.password_file_text(passwords))
    (directory / "acl").write_text(acl)
    readable_by_mosquitto(directory / "passwd", directory / "acl")
    return str(directory / "passwd"), str(directory / "acl")


@pytest.fixture
def brokers():
    """(site broker, central broker, passwords); the site's bridge points at the centre."""
    made = []
    centre_dir = mosquitto_dir()
    passwords = {"site-toender": broker_accounts.new_password(), "report": broker_accounts.new_password()}
    files = write_accounts(centre_dir, broker_accounts.central_acl_text({"toender": "site-toender"}), passwords)
    centre = ConfiguredBroker(centre_dir / "run", lambda port: "\n".join(
        broker_accounts.secured_listeners(*files, port=port)) + "\n")
    made.append(centre.start())

    raw = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    raw["bridge"] = {"host": "127.0.0.1", "port": centre.port, "tls": False}
    site = config.parse(raw, source="site.toml")
    site_dir = mosquitto_dir()
    site_passwords = {a.username: broker_accounts.new_password() for a in broker_accounts.accounts(site)}
    passwd, acl = write_accounts(site_dir, broker_accounts.acl_text(site), site_passwords)
    site_broker = ConfiguredBroker(site_dir / "run", lambda port: broker_accounts.mosquitto_conf(
        site, password_file=passwd, acl_file=acl, port=port, bridge_password=passwords["site-toender"]))
    made.append(site_broker.start())
    passwords.update(site_passwords)
    clients = []

    def login(broker, username):
        clients.append(Client(broker.port, username, passwords[username]))
        return clients[-1]

    yield site_broker, centre, login
    for c in clients:
        c.close()
    for b in made:
        b.stop()
    shutil.rmtree(centre_dir), shutil.rmtree(site_dir)


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
    report = login(centre, "report")
    report.subscribe("reception/#")
    hub = login(site, "hub")
    hub.publish("reception/toender/board", b'{"v":1,"calls":[]}', retain=True)
    hub.publish(SITE_STATS, b'{"v":1,"tickets":12}', retain=True)
    report.wait(lambda: report.received(SITE_STATS, b'{"v":1,"tickets":12}'), "stats at the centre", timeout=15)
    assert [t for t, _ in report.messages] == [SITE_STATS], "only statistics leave the site"


def test_the_site_works_without_the_centre_and_catches_up_after(brokers):
    site, centre, login = brokers
    hub = login(site, "hub")
    hub.subscribe("reception/toender/kiosk/+/ticket/request")
    hub.publish(SITE_STATS, b'{"v":1,"tickets":1}', retain=True)
    report = login(centre, "report")
    report.subscribe("reception/+/stats/#")
    report.wait(lambda: report.received(SITE_STATS, b'{"v":1,"tickets":1}'), "bridge up", timeout=15)

    centre.kill()
    kiosk = login(site, "kiosk-1")
    kiosk.publish("reception/toender/kiosk/kiosk-1/ticket/request", b'{"v":1,"id":"r1"}')
    hub.wait(lambda: hub.received("reception/toender/kiosk/kiosk-1/ticket/request", b'{"v":1,"id":"r1"}'),
             "the site's own traffic while the centre is down")
    hub.publish(SITE_STATS, b'{"v":1,"tickets":2}', retain=True)
    hub.publish("reception/toender/stats/hourly", b'{"v":1,"hour":10}')  # not retained: only a queue keeps it

    centre.start()  # the bridge retries after 2 s (restart_timeout): time enough to subscribe first
    report = login(centre, "report")
    report.subscribe("reception/+/stats/#")
    report.wait(lambda: report.received(SITE_STATS, b'{"v":1,"tickets":2}')
                and report.received("reception/toender/stats/hourly", b'{"v":1,"hour":10}'),
                "stats published during the outage, after the centre's return", timeout=40)
