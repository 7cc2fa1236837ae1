"""The PNG preview draws the same lines as the printer, at the printer's geometry."""
from __future__ import annotations

from datetime import datetime, timezone

from PIL import Image

from hardware.ticket_layout import TicketContent, TicketLayout, compose
from hardware.ticket_preview import MARGIN, render_png
from reception.cli import main


def test_number_only_ticket_has_the_printers_geometry(tmp_path):
    ticket = TicketContent("A012", "Pas", "da", datetime(2026, 11, 25, 9, tzinfo=timezone.utc), 5, 1)
    lines = compose(ticket, TicketLayout("X", lines=("number",)))
    path = render_png(lines, tmp_path / "t.png", paper_px=576, columns=48)
    image = Image.open(path)
    assert image.size == (576, 2 * MARGIN + 8 * 24)  # one line of 8x8 characters on a 12x24-dot cell
    left, top, right, bottom = image.convert("L").point(lambda v: 255 - v).getbbox()
    assert right - left > 3 * 96 and 4 * 96 >= right - left  # four characters of 96 dots, centred
    assert abs((576 - right) - left) <= 12


def test_print_preview_command(tmp_path, capsys):
    out = tmp_path / "ticket.png"
    assert main(["print-preview", "-c", "config/site.example.toml", "--number", "A012", "--out", str(out)]) == 0
    image = Image.open(out)
    assert image.width == 576 and image.height > 2 * MARGIN + 8 * 24
    assert image.convert("L").getextrema() == (0, 255)  # something is drawn
    assert f"wrote {out}" in capsys.readouterr().out
