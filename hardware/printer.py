"""The kiosk's ticket printer: python-escpos, connection and model from the site configuration.

A ticket is rendered onto a python-escpos ``Dummy`` first and reaches the real printer as
one block of bytes through its sink (``hardware.printer_sink``), so a printer that fails
half-way never gets half a ticket, and tests see exactly the bytes a printer would.  Before
printing, the sink is asked for the printer's paper and offline status where it can answer
(USB, serial, network); a printer that cannot answer (Dummy, File) counts as "ok".  Whatever goes wrong surfaces as
``PrinterUnavailable(state)`` with a state from ``reception.protocol.PRINTER_STATES``:
the kiosk shows it and reports it to the hub, it never crashes the kiosk.
"""
from __future__ import annotations

import logging
import threading

from typing import Protocol

from escpos.capabilities import get_profile
from escpos.constants import QR_ECLEVEL_M
from escpos.magicencode import Encoder
from escpos.printer import Dummy

from hardware.ticket_layout import Line, TicketContent, TicketLayout, compose
from hardware.printer_sink import EscposSink
from hardware.ticket_preview import QR_DOT_SIZE, line_image
from reception.errors import ConfigError, PrinterUnavailable

__all__ = ["TicketContent", "TicketPrinter", "ticket_bytes"]

log = logging.getLogger(__name__)

PRINTABLE = ("ok", "paper_low")


class Sink(Protocol):
    """All a ticket printer needs of a printer (``EscposSink`` is the real one)."""

    def send(self, data: bytes) -> None: ...  # raises PrinterUnavailable(state)

    def state(self) -> str: ...  # one of reception.protocol.PRINTER_STATES; never raises

    def close(self) -> None: ...


def ticket_bytes(lines: tuple[Line, ...], layout: TicketLayout, profile: str | None = None) -> bytes:
    """The ESC/POS bytes of a ticket: reset, code page, each line at its size, feed and cut.

    A line with a letter that none of the printer model's code pages has (Ukrainian "і" on a
    printer without CP855, CP1251 or CP1125, say) is printed as an image of the line, drawn
    like the preview, instead of as question marks.  A QR code is drawn by the printer itself
    (GS ( k): sharp at any size, and a few bytes instead of an image.
    """
    d = Dummy(profile=profile)
    encoder = Encoder(d.profile.get_code_pages())
    cell = (layout.paper_px // layout.columns, 2 * (layout.paper_px // layout.columns))
    d.hw("INIT")  # a known state, whatever the last job left behind
    d.charcode(layout.codepage)  # select the site's code page now (ESC t n) ...
    d.charcode("AUTO")  # ... and let magic encode switch only for letters it lacks (e.g. Cyrillic)
    for line in lines:
        if line.image:
            d.image(line.image, center=True)
        elif line.qr:
            d.set(align="center")
            d.qr(line.qr, ec=QR_ECLEVEL_M, size=QR_DOT_SIZE, native=True)
        elif has_code_pages(line.text, encoder):
            d.set(align=line.align, bold=line.bold, custom_size=True, width=line.width, height=line.height)
            d.textln(line.text)
        else:
            d.set(align=line.align)
            d.image(line_image(line, cell), center=line.align == "center")
    d.cut()
    return d.output


def has_code_pages(text: str, encoder: Encoder) -> bool:
    """Whether every letter of ``text`` is in one of the printer's code pages."""
    return all(char.isascii() or encoder.find_suitable_encoding(char) for char in text)


class TicketPrinter:
    """Prints tickets for one kiosk; safe to call from several threads."""

    def __init__(self, sink: Sink, layout: TicketLayout, profile: str | None = None):
        self.sink = sink
        self.layout = layout
        self.profile = profile
        self._lock = threading.Lock()

    @classmethod
    def from_site(cls, site) -> "TicketPrinter":
        """Connection, model and layout from ``site.printer``; a model or code page it lacks is a ConfigError."""
        try:
            profile = get_profile(site.printer.profile)
        except KeyError:
            raise ConfigError(f"{site.source}: printer.profile: unknown printer model "
                              f"{site.printer.profile!r} (python-escpos capabilities)") from None
        columns = profile.get_columns("a")
        pixels = profile.profile_data["media"]["width"]["pixels"]
        paper_px = pixels if isinstance(pixels, int) else columns * 12  # font A is 12 dots wide
        layout = TicketLayout.from_site(site, columns=columns, paper_px=paper_px)
        try:
            Encoder(profile.get_code_pages()).get_encoding_name(layout.codepage)
        except (ValueError, LookupError) as exc:
            raise ConfigError(f"{site.source}: printer.layout.codepage: {exc}") from None
        return cls(EscposSink.from_site(site.printer), layout, site.printer.profile)

    def status(self) -> str:
        """One of ``reception.protocol.PRINTER_STATES``; never raises."""
        with self._lock:
            return self.sink.state()

    def print_ticket(self, content: TicketContent) -> None:
        """Print one ticket or raise ``PrinterUnavailable(state)``; never anything else."""
        with self._lock:
            state = self.sink.state()
            if state not in PRINTABLE:
                raise PrinterUnavailable(state)
            try:
                data = ticket_bytes(compose(content, self.layout), self.layout, self.profile)
            except Exception as exc:  # a broken logo or layout must not take the kiosk down
                log.exception("cannot render ticket %s", content.number)
                raise PrinterUnavailable("error") from exc
            self.sink.send(data)

    def close(self) -> None:
        """Release the device (the kiosk calls this when it shuts down)."""
        with self._lock:
            self.sink.close()
