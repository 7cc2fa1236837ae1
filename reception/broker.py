"""A private Mosquitto as a child process: for ``reception up`` on one machine, and for the tests.

It listens on loopback only, on a free port unless one is given, and keeps its
persistence file in ``data_dir`` so a restart on the same port keeps retained
messages and queued QoS 1 messages, like an appliance broker would.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from reception.broker_accounts import QUEUE_LIMITS, size_limits
from reception.errors import BrokerMissing

INSTALL_HINT = ("Mosquitto is not installed. On Debian or Raspberry Pi OS run: "
                "sudo apt-get install mosquitto mosquitto-clients")

SBIN_DIRS = ("/usr/sbin", "/usr/local/sbin")  # Debian installs mosquitto here, often not on a user's PATH


def find_mosquitto() -> str:
    found = shutil.which("mosquitto") or shutil.which("mosquitto", path=os.pathsep.join(SBIN_DIRS))
    if not found:
        raise BrokerMissing(INSTALL_HINT)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class PrivateBroker:
    """Start, stop, kill and restart one Mosquitto bound to 127.0.0.1."""

    def __init__(self, data_dir: str | Path, port: int | None = None, extra_config: str = ""):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.extra_config = extra_config
        self.binary = find_mosquitto()
        self.proc: subprocess.Popen | None = None

    @property
    def config_path(self) -> Path:
        return self.data_dir / "mosquitto.conf"

    def write_config(self) -> Path:
        lines = [
            f"listener {self.port} {self.host}",
            "allow_anonymous true" if "allow_anonymous" not in self.extra_config else "",
            # as root, Mosquitto would drop to user "mosquitto", which cannot write data_dir: no persistence
            "user root" if os.geteuid() == 0 and "user " not in self.extra_config else "",
            "set_tcp_nodelay true",  # small messages go out at once, not after a delayed ACK
            "persistence true",
            f"persistence_location {self.data_dir}/",
            "autosave_interval 1",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",  # says "Outgoing messages are being dropped for client ..." when a queue overflows
            *QUEUE_LIMITS,
            *size_limits(),
            self.extra_config,
        ]
        self.config_path.write_text("\n".join(line for line in lines if line) + "\n")
        return self.config_path

    def start(self, timeout: float = 10) -> "PrivateBroker":
        self.write_config()
        log = open(self.data_dir / "mosquitto.log", "ab")
        self.proc = subprocess.Popen([self.binary, "-c", str(self.config_path)],
                                     stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not port_open(self.host, self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"mosquitto exited with {self.proc.returncode}; see {self.data_dir}/mosquitto.log")
            if time.monotonic() > deadline:
                raise TimeoutError(f"mosquitto did not listen on {self.port} within {timeout}s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """Hard stop, as in a power cut (tests use it to prove reconnects)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self) -> "PrivateBroker":
        """Stop and start again on the same port; persistent sessions and retained messages survive."""
        self.stop()
        return self.start()

    def __enter__(self) -> "PrivateBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
