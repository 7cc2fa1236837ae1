"""A TCP relay between one device and the broker that can be cut, like a pulled network cable.

While cut, every open connection is closed and new ones are refused, so the device
sees a real network outage (no clean MQTT disconnect, no Last Will help from it).
"""
from __future__ import annotations

import socket
import threading


class Gate:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._open = True
        self._live: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="gate", daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            self._open = False
            live, self._live = self._live, []
        for s in live:
            _close(s)

    def mend(self) -> None:
        with self._lock:
            self._open = True

    def close(self) -> None:
        self.cut()
        _close(self._server)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:  # the broker is away: the device sees that as it would
                _close(client)
                continue
            with self._lock:
                if not self._open:
                    _close(client), _close(upstream)
                    continue
                self._live += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(a, b), daemon=True).start()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    _close(src), _close(dst)


def _close(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
