"""The site file's device sections: kiosks, boards, the ticket printer, desk pins, the broker and the bridge,
the status page's public address and the municipality's integration."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from reception.config.model import (PIN_ROLES, PRINTER_PARAMS, TICKET_LINES, Bridge, Broker, Desk, Integration,
                                    Kiosk, Printer, PrinterLayout, StatusPage)
from reception.config.schema import Reader, unknown

MAX_BCM_PIN = 27  # GPIO 0-27 on the 40-pin header of every Raspberry Pi


def kiosks(r: Reader) -> dict[str, Kiosk]:
    """Each kiosk with the ticket numbers it may issue on its own; no two ranges overlap."""
    result: dict[str, Kiosk] = {}
    taken: list[tuple[int, int, str]] = []
    for i, k in enumerate(r.array("kiosks")):
        where = f"kiosks[{i}]"
        k = r.keys_of(Kiosk, k, where)
        kid = r.ident(k, where, "id")
        rng = r.list_of(k, where, "offline_numbers", int)
        if len(rng) != 2 or not 1 <= rng[0] <= rng[1] <= 999:
            r.fail(f"{where}.offline_numbers", f"must be [first, last] within 1-999, not {rng!r}")
        for lo, hi, other in taken:
            if rng[0] <= hi and lo <= rng[1]:
                r.fail(f"{where}.offline_numbers", f"overlaps the range of kiosk {other!r}")
        taken.append((rng[0], rng[1], kid))
        result[kid] = r.record(Kiosk, k, where, id=kid, offline_numbers=(rng[0], rng[1]))
    return result


def boards(r: Reader) -> tuple[str, ...]:
    result = []
    for i, b in enumerate(r.array("boards")):
        r.known(b, f"boards[{i}]", ("id",))
        result.append(r.ident(b, f"boards[{i}]", "id"))
    return tuple(result)


def printer(r: Reader) -> Printer:
    """[printer]: the connection and its own settings side by side, the model, and [printer.layout]."""
    t = r.table("printer", required=False)
    connection = r.str(t, "printer", "connection", default=Printer.connection)
    if connection not in PRINTER_PARAMS:
        r.fail("printer.connection", f"{connection!r} is not one of {', '.join(PRINTER_PARAMS)}")
    own = [f.name for f in dataclasses.fields(PRINTER_PARAMS[connection])]
    r.known(t, "printer", ("connection", "profile", "layout", *own), f"setting for a {connection} printer")
    return Printer(
        connection=connection,
        profile=r.get(t, "printer", "profile", str, None, 'a printer model name such as "TM-T20II"'),
        params=r.record(PRINTER_PARAMS[connection], {k: v for k, v in t.items() if k in own}, "printer"),
        layout=_ticket_layout(r, t.get("layout", {})),
    )


def _ticket_layout(r: Reader, t: Any) -> PrinterLayout:
    """Which blocks a ticket shows and how; the printer and the PNG preview both follow it."""
    where = "printer.layout"
    layout = r.record(PrinterLayout, t, where)
    for i, line in enumerate(layout.lines):
        if line not in TICKET_LINES:
            r.fail(f"{where}.lines[{i}]", f"{line!r} is not a ticket line ({', '.join(TICKET_LINES)})")
    if "number" not in layout.lines:
        r.fail(f"{where}.lines", "must include \"number\" (a ticket without its number is useless)")
    if "%" not in layout.date_format:
        r.fail(f"{where}.date_format",
               f"must be a strftime format such as \"%d.%m.%Y %H:%M\", not {layout.date_format!r}")
    if layout.logo is None:
        return layout
    logo = Path(r.source).parent / layout.logo  # relative to the site file
    if not logo.is_file():
        r.fail(f"{where}.logo", f"no image file at {logo}")
    return dataclasses.replace(layout, logo=str(logo))


def pins(r: Reader, desks: Mapping[str, Desk]) -> dict[str, dict[str, int]]:
    """[pins.<desk>]: BCM pin numbers by button or light; one Pi may serve several desks, never one pin twice."""
    table = r.table("pins", required=False)
    result, used = {}, {}
    for did, mapping in table.items():
        where = f"pins.{did}"
        if did not in desks:
            r.fail(where, f"{did!r}: {unknown(did, desks, 'desk')}")
        mapping = r.mapping(mapping, where, "a table of pins by role, such as next = 17")
        r.known(mapping, where, PIN_ROLES, "pin role")
        for role in mapping:
            pin = r.int(mapping, where, role, minimum=0, maximum=MAX_BCM_PIN)
            if pin in used:
                r.fail(f"{where}.{role}", f"pin {pin} is already used by {used[pin]}")
            used[pin] = f"{where}.{role}"
        result[did] = dict(mapping)
    return result


def broker(r: Reader) -> Broker | None:
    t = r.table("broker", required=False)
    return r.record(Broker, t, "broker") if t else None


def bridge(r: Reader, site: Mapping[str, Any]) -> Bridge | None:
    """[bridge]: port 8883 with TLS (the default) or 1883 without; the account is site-<id> unless named."""
    t = r.table("bridge", required=False)
    if not t:
        return None
    t = r.keys_of(Bridge, t, "bridge")
    tls = r.bool(t, "bridge", "tls", default=Bridge.tls)
    return r.record(
        Bridge, t, "bridge",
        port=r.int(t, "bridge", "port", default=Bridge.port if tls else 1883, minimum=1, maximum=65535),
        ca_file=r.str(t, "bridge", "ca_file", default="") or None,
        username=r.str(t, "bridge", "username", default="") or f"site-{site.get('id')}",
    )


def status_page(r: Reader) -> StatusPage:
    """[status_page]: a public address for the QR codes' page, http(s)://host[:port][/path], nothing after."""
    t = r.keys_of(StatusPage, r.table("status_page", required=False), "status_page")
    url = r.get(t, "status_page", "base_url", str, None, "a string")
    if url is None:
        return StatusPage()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or not url.isascii() or " " in url:
        r.fail("status_page.base_url", f"must be an http:// or https:// address such as "
                                       f"'https://koe.example.dk', not {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        r.fail("status_page.base_url", f"must be a plain address without '?', '#' or a login, not {url!r}")
    return StatusPage(url.rstrip("/"))


def integration(r: Reader) -> Integration | None:
    """[integration]: present only where a municipality connects its own system (an SMS gateway)."""
    t = r.raw.get("integration")
    return None if t is None else r.record(Integration, t, "integration")
