"""Prints tickets off the UI thread and tells the hub what state the printer is in.

One worker thread owns the printer, so a slow or hanging printer can never freeze
the screen; the outcome (a state from ``reception.protocol.PRINTER_STATES``) goes
back to the caller and, as the retained kiosk status, to the hub, which raises an
alert for staff when it is not "ok".
"""
from __future__ import annotations

import logging
import queue
import threading
from typing import Callable

from hardware.printer import TicketContent, TicketPrinter
from reception.errors import PrinterUnavailable
from reception.protocol import PRINTER_STATES

log = logging.getLogger(__name__)

Report = Callable[..., None]


class PrintService:
    def __init__(self, printer: TicketPrinter, report: Report, check_every: float = 30.0):
        """``report(printer=state)`` publishes the state, a fixed code (``HubLink.report``)."""
        self.printer = printer
        self.report = report
        self.check_every = check_every
        self.state = "ok"
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ticket-printer", daemon=True)

    def start(self) -> "PrintService":
        self._thread.start()
        self._jobs.put(("check", None, None))
        return self

    def stop(self) -> None:
        self._jobs.put(("stop", None, None))
        self._thread.join(5)

    def submit(self, content: TicketContent, done: Callable[[str], None]) -> None:
        """Print in the background; ``done(state)`` runs on the printer thread afterwards."""
        self._jobs.put(("print", content, done))

    def _run(self) -> None:
        while True:
            try:
                kind, content, done = self._jobs.get(timeout=self.check_every)
            except queue.Empty:
                kind, content, done = "check", None, None
            if kind == "stop":
                return
            state = self._print(content) if kind == "print" else self.printer.status()
            self._set(state)
            if done:
                try:
                    done(state)
                except Exception:
                    log.exception("print callback failed")

    def _print(self, content: TicketContent) -> str:
        try:
            self.printer.print_ticket(content)
        except PrinterUnavailable as exc:
            state = exc.args[0] if exc.args and exc.args[0] in PRINTER_STATES else "error"
            log.warning("ticket %s not printed: printer %s", content.number, state)
            return state
        except Exception:  # never let a driver bug take the kiosk down
            log.exception("ticket %s not printed", content.number)
            return "error"
        return "ok"

    def _set(self, state: str) -> None:
        if state != self.state:
            log.info("printer state %s -> %s", self.state, state)
        self.state = state
        self.report(printer=state)
