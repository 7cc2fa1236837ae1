"""Fixtures for the deployment tests: Mosquitto started from generated files, MQTT clients per account."""
from __future__ import annotations

import grp
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from reception import broker_accounts
from reception.broker import PrivateBroker


def readable_by_mosquitto(*paths: Path) -> None:
    """Give the paths to group mosquitto, as the installer does (root:mosquitto 0640/0750).

    Mosquitto started as root drops to its own user *before* it opens the password
    and ACL files; as an ordinary user it keeps running as that user and needs nothing.
    """
    if os.geteuid() != 0:
        return
    gid = grp.getgrnam("mosquitto").gr_gid
    for path in paths:
        os.chown(path, 0, gid)
        path.chmod(0o750 if path.is_dir() else 0o640)


class ConfiguredBroker(PrivateBroker):
    """A PrivateBroker whose configuration is a generated file, used as written."""

    def __init__(self, data_dir: Path, make_config, port: int | None = None):
        super().__init__(data_dir, port=port)
        self.make_config = make_config

    def write_config(self) -> Path:
        self.config_path.write_text(self.make_config(self.port))
        readable_by_mosquitto(self.data_dir, self.config_path)
        return self.config_path


def broker_from_root(root: Path, port: int) -> ConfiguredBroker:
    """Mosquitto started from what the installer wrote under ``root`` for a broker on ``port``.

    The only change to the written configuration: its /etc paths are moved under the root.
    """
    etc = root / "etc/mosquitto/reception"
    conf = (root / "etc/mosquitto/conf.d/reception.conf").read_text()
    conf = conf.replace("/etc/mosquitto/reception/", f"{etc}/")
    readable_by_mosquitto(root / "etc", root / "etc/mosquitto", etc, etc / "passwd", etc / "acl")
    return ConfiguredBroker(root / "run", lambda _: conf, port=port).start()


def secret(root: Path, account: str) -> str:
    return (root / f"etc/reception/secrets/{account}.password").read_text().strip()


class Client:
    """A paho client logged in as one account, recording messages and SUBACK codes."""

    def __init__(self, port: int, username: str | None, password: str | None, ca_file: str | None = None,
                 will: tuple[str, bytes] | None = None):
        self.messages: list[tuple[str, bytes]] = []
        self.cond = threading.Condition()
        self.connect_rc = None
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{username}-{uuid.uuid4().hex[:6]}")
        if username:
            self.client.username_pw_set(username, password)
        if ca_file:
            self.client.tls_set(ca_certs=ca_file)
        if will:
            self.client.will_set(*will, qos=1, retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.granted = {}
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        self.wait(lambda: self.connect_rc is not None, "no CONNACK")

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        with self.cond:
            self.connect_rc = reason_code
            self.cond.notify_all()

    def _on_message(self, client, userdata, msg):
        with self.cond:
            self.messages.append((msg.topic, msg.payload))
            self.cond.notify_all()

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        with self.cond:
            self.granted[mid] = [rc.value for rc in reason_codes]
            self.cond.notify_all()

    def wait(self, predicate, what: str, timeout: float = 5):
        with self.cond:
            if not self.cond.wait_for(predicate, timeout):
                raise AssertionError(f"timed out waiting: {what}; saw {self.messages}")

    @property
    def accepted(self) -> bool:
        return not self.connect_rc.is_failure

    def subscribe(self, topic: str) -> int:
        """Subscribe with QoS 1 and return the SUBACK code (0x80 = refused by the ACL)."""
        _, mid = self.client.subscribe(topic, qos=1)
        self.wait(lambda: mid in self.granted, f"SUBACK for {topic}")
        return self.granted[mid][0]

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def received(self, topic: str, payload: bytes) -> bool:
        with self.cond:
            return (topic, payload) in self.messages

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def vanish(self) -> None:
        """Drop the connection without a word, as a device losing power: the broker sends its Last Will."""
        self.client.loop_stop()
        self.client.socket().close()


def mosquitto_dir() -> Path:
    """A directory Mosquitto can read after dropping privileges (pytest's own tmp dirs are 0700)."""
    path = Path(tempfile.mkdtemp(prefix="reception-deploy-"))
    readable_by_mosquitto(path)
    return path


@pytest.fixture
def broker_dir():
    path = mosquitto_dir()
    yield path
    shutil.rmtree(path)


@pytest.fixture(scope="module")
def accounts_broker():
    """The example site's broker with generated accounts, passwords and ACL (one per module: fast); the
    site connects a municipality's system too (``[integration]``: the account ``integration``)."""
    from reception import config
    from tests.conftest import EXAMPLE_CONFIG
    site = config.parse({**config.read_toml(EXAMPLE_CONFIG), "integration": {"near_position": 3}}, str(EXAMPLE_CONFIG))
    etc = mosquitto_dir()
    passwords = {a.username: broker_accounts.new_password() for a in broker_accounts.accounts(site)}
    (etc / "passwd").write_text(broker_accounts.password_file_text(passwords))
    (etc / "acl").write_text(broker_accounts.acl_text(site))
    readable_by_mosquitto(etc, etc / "passwd", etc / "acl")
    broker = ConfiguredBroker(etc / "run", lambda port: broker_accounts.mosquitto_conf(
        site, password_file=str(etc / "passwd"), acl_file=str(etc / "acl"), port=port) + "log_dest stderr\n")
    broker.start()
    broker.site, broker.passwords, clients = site, passwords, []

    def login(username: str, password: str | None = None, will: tuple[str, bytes] | None = None) -> Client:
        c = Client(broker.port, username, passwords.get(username) if password is None else password, will=will)
        clients.append(c)
        return c

    broker.login = login
    yield broker
    for c in clients:
        c.close()
    broker.stop()
    shutil.rmtree(etc)


@pytest.fixture(scope="session")
def systemd_analyze() -> str:
    """systemd-analyze comes with the systemd package (in run.sh's APT_TEST_PACKAGES); no running systemd needed."""
    path = shutil.which("systemd-analyze")
    if not path:
        pytest.fail("systemd-analyze is missing: apt-get install systemd")
    return path
