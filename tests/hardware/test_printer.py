"""The ticket printer: exact ESC/POS bytes on python-escpos's Dummy, status states, reconnects."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.printer import Dummy, File, Network

from hardware.printer import TicketPrinter
from hardware.printer_sink import RT_STATUS_OFFLINE_CAUSE, EscposSink
from hardware.ticket_layout import TicketContent, TicketLayout
from hardware.ticket_texts import ticket_text
from reception.broker import free_port
from reception.errors import PrinterUnavailable

ISSUED = datetime(2026, 11, 25, 9, 1, tzinfo=timezone.utc)  # 10:01 in Tønder


def content(**changes) -> TicketContent:
    values = dict(number="C004", reason="Pas", lang="da", issued_at=ISSUED, eta_min=12, ahead=3)
    return TicketContent(**{**values, **changes})


class AnsweringDummy(Dummy):
    """python-escpos's Dummy that answers real-time status requests (DLE EOT n) like an Epson printer."""

    def __init__(self, replies: dict[bytes, bytes], **kwargs):
        super().__init__(**kwargs)
        self.replies = replies

    def _read(self) -> bytes:
        return self.replies.get(self._output_list[-1], b"")


PAPER_OUT = {RT_STATUS_PAPER: b"\x72"}
PAPER_LOW = {RT_STATUS_PAPER: b"\x1e", RT_STATUS_ONLINE: b"\x12"}
COVER_OPEN = {RT_STATUS_PAPER: b"\x12", RT_STATUS_ONLINE: b"\x1a", RT_STATUS_OFFLINE_CAUSE: b"\x16"}
SILENT: dict[bytes, bytes] = {}


def test_ticket_bytes_exact():
    layout = TicketLayout("Borgerservice Tønder", lines=("number", "reason"))
    printer = TicketPrinter(EscposSink(Dummy(profile="TM-T20II")), layout, "TM-T20II")
    printer.print_ticket(content(reason="Kørekort"))
    assert printer.sink.device.output == (
        b"\x1b@"                                   # ESC @ reset
        b"\x1bt\x05"                               # ESC t 5: code page CP865 (Nordic)
        b"\x1d!\x77\x1bE\x01\x1ba\x01C004\n"       # GS ! 0x77: 8x8, the largest size; bold; centred
        b"\x1d!\x00\x1bE\x00\x1ba\x01\n"           # blank line between blocks
        b"\x1d!\x11\x1bE\x01\x1ba\x01K\x9brekort\n"  # reason double size; ø = 0x9b in CP865
        b"\x1bd\x06\x1dV\x00"                      # feed 6 lines, full cut
    )


def test_danish_letters_use_the_nordic_code_page(site):
    printer = TicketPrinter.from_site(site)
    printer.print_ticket(content(reason="æøåÆØÅ"))
    out = printer.sink.device.output
    assert out.startswith(b"\x1b@\x1bt\x05")
    assert "æøåÆØÅ".encode("cp865") == b"\x91\x9b\x86\x92\x9d\x8f"
    assert b"\x91\x9b\x86\x92\x9d\x8f\n" in out
    assert b"Borgerservice T\x9bnder\n" in out
    assert b"3 foran dig i k\x9ben\n" in out and b"25.11.2026 10:01\n" in out
    assert out.count(b"\x1bt") == 1  # Danish text never leaves CP865
    assert out.endswith(b"\x1dV\x00")


def test_cyrillic_switches_code_page_only_where_needed():
    printer = TicketPrinter(EscposSink(Dummy(profile="TM-T20II")), TicketLayout("X", lines=("number", "reason")), "TM-T20II")
    printer.print_ticket(content(reason="Паспорт", lang="uk"))
    out = printer.sink.device.output
    assert b"\x1bt\x11" + "Паспорт".encode("cp866") in out  # ESC t 17: CP866


def test_ticket_texts_in_the_citizens_language(site):
    printer = TicketPrinter.from_site(site)
    printer.print_ticket(content(lang="en", eta_min=None, ahead=None, offline=True))
    out = printer.sink.device.output
    assert b"Expected wait" not in out
    assert b"The wait is not known right now." in out and b"You will be called on the screen\n" in out
    assert b"could not be" not in out  # plain, calm words


def test_paper_out_raises_and_prints_nothing():
    printer = TicketPrinter(EscposSink(AnsweringDummy(PAPER_OUT, profile="TM-T20II")), TicketLayout("X"))
    assert printer.status() == "paper_out"
    with pytest.raises(PrinterUnavailable) as err:
        printer.print_ticket(content())
    assert err.value.args == ("paper_out",)
    assert b"C004" not in printer.sink.device.output


@pytest.mark.parametrize("replies, state, prints", [
    (PAPER_LOW, "paper_low", True),
    (COVER_OPEN, "cover_open", False),
    (SILENT, "offline", False),
])
def test_status_states(replies, state, prints):
    printer = TicketPrinter(EscposSink(AnsweringDummy(replies, profile="TM-T20II")), TicketLayout("X"))
    assert printer.status() == state
    if prints:
        printer.print_ticket(content())
        assert b"C004\n" in printer.sink.device.output
    else:
        with pytest.raises(PrinterUnavailable, match=state):
            printer.print_ticket(content())


def test_missing_file_printer_is_offline_then_recovers(tmp_path):
    device_file = tmp_path / "usb" / "lp0"
    printer = TicketPrinter(EscposSink(File(devfile=str(device_file))), TicketLayout("X"))
    with pytest.raises(PrinterUnavailable, match="offline"):
        printer.print_ticket(content())
    device_file.parent.mkdir()  # the printer is plugged in again
    printer.print_ticket(content())
    printer.close()
    assert b"C004\n" in device_file.read_bytes()


def test_network_printer_that_does_not_answer_is_offline():
    printer = TicketPrinter(EscposSink(Network(host="127.0.0.1", port=free_port(), timeout=1)), TicketLayout("X"))
    assert printer.status() == "offline"
    with pytest.raises(PrinterUnavailable, match="offline"):
        printer.print_ticket(content())


def test_fixed_ticket_texts_in_every_kiosk_language(site):
    assert len({ticket_text("ahead", lang, n=3) for lang in site.languages}) == len(site.languages)
    assert ticket_text("wait", "uk", n=5) == "Час очікування: близько 5 хв"
    assert ticket_text("wait", "fi", n=5) == "Forventet ventetid ca. 5 min."  # unknown language: Danish


UKRAINIAN_LICENCE = "Посвідчення водія"  # "і" is in CP855, CP1251 and CP1125, not in CP866


def raster_images(out: bytes) -> list[tuple[int, int]]:
    """(width in dots, height in dots) of each GS v 0 raster image in ``out``."""
    found, at = [], out.find(b"\x1dv0")
    while at >= 0:
        x_bytes, height = int.from_bytes(out[at + 4:at + 6], "little"), int.from_bytes(out[at + 6:at + 8], "little")
        found.append((8 * x_bytes, height))
        at = out.find(b"\x1dv0", at + 8 + x_bytes * height)
    return found


def test_a_printer_with_the_code_pages_gets_ukrainian_as_text():
    """TM-T20II's profile lists CP866 and CP855: every letter goes as text, no image, no '?'."""
    printer = TicketPrinter(EscposSink(Dummy(profile="TM-T20II")), TicketLayout("X", lines=("number", "reason")), "TM-T20II")
    printer.print_ticket(content(reason=UKRAINIAN_LICENCE, lang="uk"))
    out = printer.sink.device.output
    assert raster_images(out) == []
    assert "Посв".encode("cp866") in out and b"?" not in out


def test_a_printer_without_the_code_page_prints_that_line_as_an_image():
    """TM-T88III has CP866 but no page with Ukrainian "і": the reason is printed as a picture of the
    line (double size: 48 dots high), the lines it can print stay text."""
    printer = TicketPrinter(EscposSink(Dummy(profile="TM-T88III")), TicketLayout("X", lines=("number", "reason")), "TM-T88III")
    printer.print_ticket(content(reason=UKRAINIAN_LICENCE, lang="uk"))
    out = printer.sink.device.output
    images = raster_images(out)
    assert len(images) == 1 and images[0][1] == 48, images
    assert images[0][0] >= len(UKRAINIAN_LICENCE) * 24  # 12-dot cells, doubled
    assert b"C004\n" in out and "Посв".encode("cp866") not in out and b"?" not in out.split(b"\x1dv0")[0]


def test_the_image_of_a_line_shows_its_letters(tmp_path):
    """The picture is the preview's drawing of the line: dark dots where the letters are, not blank."""
    from hardware.ticket_layout import Line
    from hardware.ticket_preview import line_image

    image = line_image(Line(UKRAINIAN_LICENCE, 2, 2, True), (12, 24))
    assert image.size == (len(UKRAINIAN_LICENCE) * 24, 48)
    dark = sum(1 for px in image.getdata() if px == 0)
    assert 0.1 < dark / (image.width * image.height) < 0.6


def test_sessions_date_and_the_chosen_helper_are_printed_large_and_places_never_split(site):
    """Double height (GS ! 0x01, 6 mm) for the lines a citizen must read; a session's day and time
    on one line, its place whole on the next ("IT-café på Tønder / Bibliotek" was split)."""
    printer = TicketPrinter.from_site(site)
    sessions = ("Onsdag kl. 10:00-12:00: IT-café på Tønder Bibliotek",
                "Mandag kl. 13:00-15:00: Datastue på Center Royal, Løgumkloster")
    printer.print_ticket(content(reason="Lær MitID og apps", volunteer_sessions=sessions, helper="volunteer"))
    out = printer.sink.device.output.decode("cp865")
    tall = "\x1d!\x01"
    assert f"{tall}\x1bE\x00\x1ba\x01Du har valgt en frivillig\n" in out
    assert f"{tall}\x1bE\x00\x1ba\x0125.11.2026 10:01\n" in out
    assert f"{tall}\x1bE\x01\x1ba\x00Onsdag kl. 10:00-12:00:\n" in out
    assert f"{tall}\x1bE\x00\x1ba\x00IT-café på Tønder Bibliotek\n" in out
    assert f"{tall}\x1bE\x00\x1ba\x00Datastue på Center Royal, Løgumkloster\n" in out


def test_no_helper_line_where_the_citizen_did_not_choose(site):
    printer = TicketPrinter.from_site(site)
    printer.print_ticket(content(reason="Pas"))
    assert b"valgt" not in printer.sink.device.output


def test_a_checked_in_appointment_prints_its_time_large_under_the_reason(site):
    printer = TicketPrinter.from_site(site)
    printer.print_ticket(content(number="G004", reason="Pension og ydelser", ahead=None, eta_min=9,
                                 booked_at=datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)))
    out = printer.sink.device.output.decode("cp865")
    big = "\x1d!\x11\x1bE\x01\x1ba\x01"  # double width and height, bold, centred: as the reason
    assert f"{big}Pension og ydelser\n{big}Din tid: kl. 10:30\n" in out  # 09:30 UTC is 10:30 in Tønder


def test_a_booking_that_became_an_ordinary_number_is_explained_kindly_on_paper(site):
    printer = TicketPrinter.from_site(site)
    printer.print_ticket(content(number="H901", reason="Jeg har en aftale", eta_min=None, ahead=None, offline=True,
                                 check_in="unchecked"))
    out = printer.sink.device.output.decode("cp865")
    tall = "\x1d!\x01\x1bE\x00\x1ba\x01"
    assert f"{tall}Vi kan ikke tjekke din tid lige nu. Sig ved\n{tall}skranken, at du har en aftale.\n" in out
    assert out.index("skranken") < out.index("Du bliver kaldt op")  # why first, then how they are called
    assert "Din tid" not in out
