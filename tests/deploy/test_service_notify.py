"""service_notify speaks the sd_notify protocol to a real datagram socket, and is silent without one."""
import os
import socket
import tempfile
import time

import pytest

from reception import service_notify


@pytest.fixture
def notify_socket(monkeypatch):
    """A socket standing where systemd's would be (short path: AF_UNIX allows 108 bytes)."""
    path = os.path.join(tempfile.mkdtemp(prefix="sdn"), "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2)
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    yield sock
    sock.close()
    os.unlink(path)


def received(sock) -> str:
    return sock.recv(4096).decode()


def test_ready_status_ping_and_stopping_reach_the_socket(notify_socket):
    service_notify.ready("connected to 127.0.0.1:1883")
    assert received(notify_socket) == "READY=1\nSTATUS=connected to 127.0.0.1:1883"
    service_notify.status("broker unreachable, retrying")
    assert received(notify_socket) == "STATUS=broker unreachable, retrying"
    service_notify.watchdog_ping()
    assert received(notify_socket) == "WATCHDOG=1"
    service_notify.stopping()
    assert received(notify_socket) == "STOPPING=1"


def test_abstract_socket_addresses_work(monkeypatch):
    name = f"reception-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2)
    monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
    service_notify.ready()
    assert received(sock) == "READY=1"
    sock.close()


def test_outside_systemd_every_call_is_a_no_op(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.delenv("WATCHDOG_USEC", raising=False)
    service_notify.ready()
    service_notify.watchdog_ping()
    service_notify.stopping()
    assert service_notify.watchdog_interval() is None


@pytest.mark.parametrize("usec, pid, expected", [
    ("20000000", None, 10.0),          # WatchdogSec=20 -> ping every 10 s
    ("20000000", "self", 10.0),
    ("20000000", "1", None),           # the watchdog belongs to another process
    ("0", None, None),
    ("garbage", None, None),
])
def test_watchdog_interval_is_half_the_timeout(monkeypatch, usec, pid, expected):
    monkeypatch.setenv("WATCHDOG_USEC", usec)
    if pid:
        monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()) if pid == "self" else pid)
    else:
        monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert service_notify.watchdog_interval() == expected


def test_heartbeat_pings_only_while_alive(notify_socket, monkeypatch):
    monkeypatch.setenv("WATCHDOG_USEC", "100000")  # 0.1 s -> ping every 0.05 s
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    alive = [True]
    beat = service_notify.Heartbeat(lambda: alive[0]).start()
    assert received(notify_socket) == "WATCHDOG=1"
    alive[0] = False
    time.sleep(0.1)
    notify_socket.setblocking(False)
    while True:  # drain pings sent before the flag flipped
        try:
            notify_socket.recv(4096)
        except BlockingIOError:
            break
    time.sleep(0.2)
    with pytest.raises(BlockingIOError):
        notify_socket.recv(4096)
    beat.stop()
