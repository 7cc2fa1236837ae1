"""``reception appointments import FILE``: a manager hands the hub a booking file through the watched folder.

The file is read here first, with the hub's own readers, so a refusal is printed at once (one
line naming the file and the line).  Then a clean CSV of it (nothing personal) is written into
the folder under a hidden name and renamed, so the hub never sees half a file, and the command
waits for the hub's line about it in ``results.log``.  The hub owns the database: this command
never opens it.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from reception.config import Site
from reception.errors import AppointmentFileError, ConfigError

from hub.appointment_folder import RESULTS
from hub.core import appointment_csv, appointment_files
from hub.core.appointment_records import SiteRules

EXIT_DATAERR = 65  # EX_DATAERR: the file was refused
EXIT_TEMPFAIL = 75  # EX_TEMPFAIL: handed in, but the hub has not taken it yet


def hand_in(site: Site, path: Path, wait: float, say=print) -> int:
    folder = site.appointments.folder
    if folder is None:
        raise ConfigError(f"{site.source}: appointments.folder: not set, so no hub takes files (docs/appointments.md)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AppointmentFileError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        read = appointment_files.read(path.name, data, SiteRules.of(site))
    except AppointmentFileError as exc:
        say(f"refused: {exc}")
        return EXIT_DATAERR
    say(f"read {read.note()}")
    folder = Path(folder)
    name = f"{path.stem}.csv"
    if (folder / name).exists():
        raise AppointmentFileError(f"{folder / name}: a file of that name waits for the hub already")
    done = _results(folder)
    hidden = folder / f".{name}.part"
    hidden.write_text(appointment_csv.to_csv(read.appointments), encoding="utf-8")
    os.replace(hidden, folder / name)
    return _outcome(folder, name, len(done), wait, say)


def _results(folder: Path) -> list[str]:
    path = folder / RESULTS
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _outcome(folder: Path, name: str, seen: int, wait: float, say) -> int:
    """The hub's line about ``name`` in ``results.log`` once it comes; EXIT_TEMPFAIL after ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        line = next((line for line in _results(folder)[seen:] if line.split(" ")[1:2] == [name]), None)
        if line is not None:
            say(line.split(" ", 2)[2])
            return EXIT_DATAERR if line.split(" ")[2:3] == ["refused:"] else 0
        time.sleep(0.2)
    say(f"handed in as {folder / name}; the hub has not taken it yet (it does when it runs)")
    return EXIT_TEMPFAIL
