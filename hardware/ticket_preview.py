"""Draw a ticket as a PNG from the same lines the printer gets: what you see is what prints.

The page is as wide as the printer's paper in dots (576 on an 80 mm Epson); every line
is drawn in a monospaced font on the printer's character cell (paper width / columns,
twice as tall as wide, like ESC/POS font A) and then magnified the way the printer
magnifies characters (GS !), so line breaks and sizes match the paper.
"""
from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from hardware.ticket_layout import Line

MARGIN = 24  # dots above and below the printed lines
QR_DOT_SIZE = 8  # dots per module, on paper and here: an address with a 22-character token is ~30 mm wide
FONT_FILES = ("DejaVuSansMono-Bold.ttf", "DejaVuSansMono.ttf")


def _font(size: int, bold: bool) -> ImageFont.ImageFont:
    """DejaVu Sans Mono (Debian's fonts-dejavu-core) or Pillow's built-in font."""
    for name in FONT_FILES[0 if bold else 1:]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def line_image(line: Line, cell: tuple[int, int]) -> Image.Image:
    """One line as the printer draws it on its character cell (also how a line the printer has
    no code page for is printed: as this image)."""
    if line.image:
        return Image.open(line.image).convert("1")
    if line.qr:
        return qr_image(line.qr, QR_DOT_SIZE)
    cw, ch = cell
    base = Image.new("1", (max(1, len(line.text)) * cw, ch), 1)
    draw = ImageDraw.Draw(base)
    font = _font(ch * 5 // 6, line.bold)
    for i, char in enumerate(line.text):
        draw.text((i * cw + cw // 2, ch // 2), char, font=font, fill=0, anchor="mm")
    return base.resize((base.width * line.width, ch * line.height), Image.NEAREST)


def qr_image(data: str, dot: int) -> Image.Image:
    """A QR code (error correction M, a quiet zone of 4 modules) with ``dot`` pixels per module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=dot, border=4)
    code.add_data(data)
    return code.make_image().get_image().convert("1")


def page_size(lines: tuple[Line, ...], paper_px: int, columns: int) -> tuple[int, int]:
    """Width and height of the preview of ``lines`` (logos at their own size)."""
    ch = 2 * (paper_px // columns)
    height = sum(Image.open(ln.image).height if ln.image else qr_image(ln.qr, QR_DOT_SIZE).height if ln.qr
                 else ch * ln.height for ln in lines)
    return paper_px, height + 2 * MARGIN


def render_png(lines: tuple[Line, ...], path: str | Path, *, paper_px: int = 576, columns: int = 48) -> Path:
    """Write the ticket to ``path`` as a black-and-white PNG and return the path."""
    cw = paper_px // columns
    page = Image.new("1", page_size(lines, paper_px, columns), 1)
    y = MARGIN
    for line in lines:
        img = line_image(line, (cw, 2 * cw))
        x = {"left": 0, "right": paper_px - img.width}.get(line.align, (paper_px - img.width) // 2)
        page.paste(img, (max(0, x), y))
        y += img.height
    path = Path(path)
    page.save(path)
    return path
