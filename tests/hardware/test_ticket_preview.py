"""The PNG preview draws the same lines as the printer, at the printer's geometry."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone

from escpos.printer import Dummy
from PIL import Image, ImageDraw

from hardware.printer import TicketPrinter
from hardware.printer_sink import EscposSink
from hardware.ticket_layout import TicketContent, TicketLayout, compose
from hardware.ticket_preview import MARGIN, render_png
from reception.cli import main
from tests.conftest import EXAMPLE_CONFIG, ROOT


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


def test_logo_is_printed_as_raster_and_previewed_at_its_size(tmp_path):
    logo = tmp_path / "logo.png"
    image = Image.new("1", (200, 60), 1)
    ImageDraw.Draw(image).rectangle((10, 10, 190, 50), fill=0)
    image.save(logo)
    layout = TicketLayout("X", lines=("logo", "number"), logo=str(logo))
    ticket = TicketContent("A012", "Pas", "da", datetime(2026, 11, 25, 9, tzinfo=timezone.utc), 5, 1)
    printer = TicketPrinter(EscposSink(Dummy(profile="TM-T20II")), layout, "TM-T20II")
    printer.print_ticket(ticket)
    out = printer.sink.device.output
    assert b"\x1dv0" in out and out.index(b"\x1dv0") < out.index(b"A012")  # GS v 0 raster image first
    preview = Image.open(render_png(compose(ticket, layout), tmp_path / "t.png"))
    assert preview.size == (576, 2 * MARGIN + 60 + 24 + 8 * 24)  # logo, blank line, number


def test_print_preview_leaves_the_working_tree_clean(tmp_path):
    """In a checkout, the preview lands in var/ (ignored by git), not beside the sources."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    subprocess.run([*git, "add", ".gitignore"], check=True)
    subprocess.run([*git, "commit", "-qm", "ignore"], check=True)
    done = subprocess.run([sys.executable, "-m", "reception.cli", "print-preview", "-c", str(EXAMPLE_CONFIG),
                           "--number", "B007"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "wrote var/previews/ticket-B007.png\n"
    assert (tmp_path / "var/previews/ticket-B007.png").is_file()
    status = subprocess.run([*git, "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True)
    assert status.stdout == ""
