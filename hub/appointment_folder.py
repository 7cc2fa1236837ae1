"""The watched folder: the hub imports the appointments files dropped into ``[appointments] folder``.

A file is taken once its size and time stay the same from one look to the next (a writer may
still be at it), so no clock is needed.  Read whole or refused whole: an imported file is
deleted once its rows are stored (it may hold personal data the reader left out; the rows are
the record), a refused one moves to ``refused/`` for the manager to mend.  Each outcome is one
line in ``results.log`` in the folder, for whoever drops files there (``reception appointments
import`` reads it), and in the hub's log.  A hub killed between storing and deleting imports
the file again at its next start, which changes nothing.
"""
from __future__ import annotations

import logging
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Callable

from reception.config import Site
from reception.errors import AppointmentFileError, ConfigError
from reception.protocol import ImportedDay

from hub.appointment_import import AppointmentImporter
from hub.core import appointment_files
from hub.locks import HubLocks

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
SUFFIXES = (".csv", ".ics")
RESULTS = "results.log"
REFUSED = "refused"


class FolderWatch:
    def __init__(self, site: Site, importer: AppointmentImporter, locks: HubLocks, clock: Callable[[], datetime]):
        self.source, self.folder = site.source, Path(site.appointments.folder)
        self.importer, self.locks, self.clock = importer, locks, clock
        self._seen: dict[str, tuple[int, int]] = {}  # name -> (size, mtime_ns) at the last look
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hub-appointments-folder", daemon=True)

    def start(self) -> None:
        """Make the folder if need be, then look into it every second; one line and exit 78 if it cannot be made."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{self.source}: appointments.folder: cannot make {self.folder}: {exc.strerror}") from None
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _loop(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                self.look()
            except OSError as exc:
                log.warning("appointments folder %s: %s", self.folder, exc)

    def look(self) -> None:
        """Take every file that has stayed as it was since the last look."""
        now_seen = {}
        for path in sorted(self.folder.iterdir()):
            if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            stat = path.stat()
            now_seen[path.name] = (stat.st_size, stat.st_mtime_ns)
            if self._seen.get(path.name) == now_seen[path.name]:
                self.take(path)
        self._seen = now_seen

    def take(self, path: Path) -> None:
        try:
            read = appointment_files.read(path.name, path.read_bytes(), self.importer.rules)
        except AppointmentFileError as exc:
            self.refuse(path, str(exc))
            return
        log.info("appointments file %s", read.note())
        with self.locks.queue():
            self.importer.stage(path.name, read.appointments, self.clock(), after=lambda days: self.imported(path, days))

    def imported(self, path: Path, days: list[ImportedDay]) -> None:
        """Once stored: the file goes, its outcome stays in ``results.log``."""
        self.result(path.name, "imported: " + "; ".join(d.describe() for d in days))
        path.unlink(missing_ok=True)

    def refuse(self, path: Path, reason: str) -> None:
        log.warning("refused appointments file: %s", reason)
        refused = self.folder / REFUSED
        refused.mkdir(exist_ok=True)
        os.replace(path, refused / path.name)
        self.result(path.name, f"refused: {reason}")

    def result(self, name: str, outcome: str) -> None:
        with open(self.folder / RESULTS, "a", encoding="utf-8") as results:
            now = self.clock().astimezone(self.importer.rules.zone)
            results.write(f"{now.isoformat(timespec='seconds')} {name} {outcome}\n")
