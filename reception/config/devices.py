"""The site file's device sections: kiosks, the ticket printer, desk pins, the broker and the bridge."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from reception.config.model import (DESK_BUTTONS, DEFAULT_TICKET_LINES, PRINTER_CONNECTIONS, PRINTER_PARAMS,
                                    TICKET_LAYOUT_KEYS, TICKET_LINES, Bridge, Broker, Desk, Kiosk, Printer)
from reception.config.schema import Reader


def kiosks(r: Reader) -> dict[str, Kiosk]:
    kiosks: dict[str, Kiosk] = {}
    taken: list[tuple[int, int, str]] = []
    for i, k in enumerate(r.array("kiosks")):
        where = f"kiosks[{i}]"
        kid = r.ident(k, where, "id")
        rng = r.list_of(k, where, "offline_numbers", int)
        if len(rng) != 2 or not 1 <= rng[0] <= rng[1] <= 999:
            r.fail(f"{where}.offline_numbers", f"must be [first, last] within 1-999, not {rng!r}")
        for lo, hi, other in taken:
            if rng[0] <= hi and lo <= rng[1]:
                r.fail(f"{where}.offline_numbers", f"overlaps the range of kiosk {other!r}")
        taken.append((rng[0], rng[1], kid))
        kiosks[kid] = Kiosk(kid, (rng[0], rng[1]))
    return kiosks

def printer(r: Reader) -> Printer:
    t = dict(r.table("printer", required=False))
    connection = r.str(t, "printer", "connection", default="dummy")
    if connection not in PRINTER_CONNECTIONS:
        r.fail("printer.connection", f"{connection!r} is not one of {', '.join(PRINTER_CONNECTIONS)}")
    layout = _ticket_layout(r, r.get(t, "printer", "layout", dict, {}, "a table"))
    profile = t.pop("profile", None)
    if profile is not None and not isinstance(profile, str):
        r.fail("printer.profile", f"must be a printer model name such as \"TM-T20II\", not {profile!r}")
    params = {k: v for k, v in t.items() if k not in ("connection", "layout")}
    for key in PRINTER_PARAMS[connection]:
        if key not in params:
            r.fail(f"printer.{key}", f"missing (a {connection} printer needs {', '.join(PRINTER_PARAMS[connection])})")
    return Printer(connection, profile, params, layout)


def _ticket_layout(r: Reader, t: Mapping[str, Any]) -> dict[str, Any]:
    """Which blocks a ticket shows and how; the printer and the PNG preview both follow it."""
    where = "printer.layout"
    for key in t:
        if key not in TICKET_LAYOUT_KEYS:
            r.fail(f"{where}.{key}", f"unknown setting (use {', '.join(TICKET_LAYOUT_KEYS)})")
    lines = r.list_of(t, where, "lines", str, default=list(DEFAULT_TICKET_LINES), nonempty=True)
    for i, line in enumerate(lines):
        if line not in TICKET_LINES:
            r.fail(f"{where}.lines[{i}]", f"{line!r} is not a ticket line ({', '.join(TICKET_LINES)})")
    if "number" not in lines:
        r.fail(f"{where}.lines", "must include \"number\" (a ticket without its number is useless)")
    date_format = r.str(t, where, "date_format", default="%d.%m.%Y %H:%M")
    if "%" not in date_format:
        r.fail(f"{where}.date_format", f"must be a strftime format such as \"%d.%m.%Y %H:%M\", not {date_format!r}")
    layout: dict[str, Any] = {"lines": tuple(lines), "date_format": date_format,
                              "codepage": r.str(t, where, "codepage", default="CP865")}
    if "logo" in t:
        logo = Path(r.source).parent / r.str(t, where, "logo")  # relative to the site file
        if not logo.is_file():
            r.fail(f"{where}.logo", f"no image file at {logo}")
        layout["logo"] = str(logo)
    return layout


def pins(r: Reader, desks: Mapping[str, Desk]) -> dict[str, dict[str, int]]:
    table = r.table("pins", required=False)
    pins, used = {}, {}
    for did, mapping in table.items():
        where = f"pins.{did}"
        if did not in desks:
            r.fail(where, f"unknown desk {did!r}")
        for name, pin in mapping.items():
            if name not in DESK_BUTTONS + ("led", "buzzer"):
                r.fail(f"{where}.{name}", f"unknown pin role (use {', '.join(DESK_BUTTONS + ('led', 'buzzer'))})")
            r.int(mapping, where, name, minimum=0)
            if pin in used:
                r.fail(f"{where}.{name}", f"pin {pin} is already used by {used[pin]}")
            used[pin] = f"{where}.{name}"
        pins[did] = dict(mapping)
    return pins


def broker(r: Reader) -> Broker | None:
    t = r.table("broker", required=False)
    if not t:
        return None
    return Broker(
        host=r.str(t, "broker", "host"),
        port=r.int(t, "broker", "port", default=1883, minimum=1),
        tls=r.bool(t, "broker", "tls"),
        ca_file=t.get("ca_file"),
    )


def bridge(r: Reader, site: Mapping[str, Any]) -> Bridge | None:
    t = r.table("bridge", required=False)
    if not t:
        return None
    tls = r.bool(t, "bridge", "tls", default=True)
    return Bridge(
        host=r.str(t, "bridge", "host"),
        port=r.int(t, "bridge", "port", default=8883 if tls else 1883, minimum=1),
        tls=tls,
        ca_file=r.str(t, "bridge", "ca_file", default="") or None,
        username=r.str(t, "bridge", "username", default="") or f"site-{site.get('id')}",
        password_file=r.str(t, "bridge", "password_file", default=Bridge.password_file),
    )
