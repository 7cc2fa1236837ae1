"""Where ticket bytes go to the printer: the one class that touches python-escpos's device internals.

``TicketPrinter`` renders a ticket to bytes and needs only three things of a printer:
``send(bytes)``, ``state()`` and ``close()``.  ``EscposSink`` gives them for any python-escpos
printer (USB, serial, network, file, Dummy), turning the connection's own errors into the
states of ``reception.protocol.PRINTER_STATES`` and reopening a printer that comes back.
"""
from __future__ import annotations

import logging

from escpos.constants import RT_STATUS
from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError
from escpos.printer import Dummy, File, Network, Serial, Usb

from reception.errors import PrinterUnavailable

log = logging.getLogger(__name__)

RT_STATUS_OFFLINE_CAUSE = RT_STATUS + b"\x02"  # DLE EOT 2: why the printer is offline
COVER_OPEN = 0x04
PAPER_STOP = 0x20
CONNECTION_ERRORS = (EscposError, OSError, RuntimeError)


def open_device(printer) -> Escpos:
    """The python-escpos printer for ``site.printer`` (a ``reception.config.Printer``); opens lazily."""
    p, profile = printer.params, printer.profile
    if printer.connection == "file":
        return File(devfile=p.path, profile=profile)
    if printer.connection == "usb":
        return Usb(idVendor=p.vendor_id, idProduct=p.product_id, timeout=p.timeout, in_ep=p.in_ep, out_ep=p.out_ep,
                   profile=profile)
    if printer.connection == "serial":
        return Serial(devfile=p.device, baudrate=p.baudrate, timeout=p.timeout, profile=profile)
    if printer.connection == "network":
        return Network(host=p.host, port=p.port, timeout=p.timeout, profile=profile)
    return Dummy(profile=profile)


def printer_state(device: Escpos) -> str:
    """Ask the printer about paper and cover; raises the connection's own errors when it is gone."""
    if type(device)._read is Escpos._read:
        return "ok"  # Dummy and File cannot answer: nothing to ask
    paper = device.paper_status()
    if paper == 0:
        return "paper_out"
    if not device.is_online():
        cause = device.query_status(RT_STATUS_OFFLINE_CAUSE)
        if not cause:
            return "offline"
        if cause[0] & COVER_OPEN:
            return "cover_open"
        return "paper_out" if cause[0] & PAPER_STOP else "error"
    return "paper_low" if paper == 1 else "ok"


class EscposSink:
    """One python-escpos printer as a sink for ticket bytes; not thread-safe (``TicketPrinter`` locks)."""

    def __init__(self, device: Escpos):
        self.device = device  # tests read a Dummy's ``output`` here

    @classmethod
    def from_site(cls, printer) -> "EscposSink":
        return cls(open_device(printer))

    def send(self, data: bytes) -> None:
        """Write ``data`` in one go, or raise ``PrinterUnavailable("offline")`` and reopen on the next job."""
        try:
            self.device._raw(data)  # python-escpos's one way out to the device
        except CONNECTION_ERRORS as exc:
            log.warning("printer failed while printing: %s", exc)
            self.close()
            raise PrinterUnavailable("offline") from exc

    def state(self) -> str:
        """One of ``reception.protocol.PRINTER_STATES``; never raises."""
        try:
            return printer_state(self.device)
        except CONNECTION_ERRORS as exc:
            log.warning("printer unreachable: %s", exc)
            self.close()
            return "offline"
        except Exception:
            log.exception("printer status query failed")
            self.close()
            return "error"

    def close(self) -> None:
        """Close the device so the next job opens it afresh (a replugged USB printer comes back)."""
        try:
            self.device.close()
        except Exception as exc:  # closing a dead connection may fail too; nothing left to do then
            log.debug("closing the printer failed: %s", exc)
        self.device.device = False  # python-escpos reopens a device in this state on next use
