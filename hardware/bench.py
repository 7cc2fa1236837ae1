"""Desk and printer speed: button press to command on the broker, and ticket rendering time.

A private Mosquitto, one desk unit on gpiozero's mock pins and a subscriber: each press
is timed from the pin edge to the command's arrival.  Ticket rendering is timed from the
kiosk's ``TicketContent`` to the ESC/POS bytes (what the printer then needs is its own
time).  Figures first, the last line one JSON object.
"""
from __future__ import annotations

import json
import logging
import statistics
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

from reception import config, protocol
from reception.commands import add_config_argument


def add_arguments(parser) -> None:
    add_config_argument(parser)
    parser.add_argument("--presses", type=int, default=200, help="button presses to time")
    parser.add_argument("--tickets", type=int, default=200, help="tickets to render")


def _percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p99": round(cuts[98], 2), "max": round(max(values), 2)}


def press_latency_ms(site: config.Site, presses: int, workdir: Path) -> list[float]:
    """Milliseconds from a mock pin going low to the command arriving at a subscriber."""
    from gpiozero.pins.mock import MockFactory

    from hardware.buttons import DeskUnit
    from hardware.desk_client import DeskClient
    from hardware.outbox import Outbox
    from reception.broker import PrivateBroker
    from reception.mqtt import BrokerAddress, Connection

    desk = next(iter(site.pins))
    arrived = threading.Semaphore(0)
    arrivals: list[float] = []
    with PrivateBroker(workdir / "broker") as broker:
        address = BrokerAddress(broker.host, broker.port)
        listener = Connection("bench-listener", address)
        listener.subscribe(protocol.Topics(site.id).desk_command(desk),
                           lambda _t, _p: (arrivals.append(time.perf_counter()), arrived.release()))
        listener.start().wait_connected(10)
        factory = MockFactory()
        client = DeskClient(site, desk, address, Outbox(workdir / "outbox.db")).start()
        client.conn.wait_connected(10)
        unit = DeskUnit(client, site.pins[desk], pin_factory=factory, bounce_time=None)
        pin = factory.pin(site.pins[desk]["recall"])
        latencies = []
        try:
            for _ in range(presses):
                started = time.perf_counter()
                pin.drive_low()
                arrived.acquire(timeout=5)
                latencies.append((arrivals[-1] - started) * 1000)
                pin.drive_high()
        finally:
            unit.close()
            client.stop()
            listener.stop()
    return latencies


def render_ms(site: config.Site, tickets: int) -> tuple[list[float], int]:
    """Milliseconds to turn a ticket into ESC/POS bytes, and the size of one ticket."""
    from hardware.printer import ticket_bytes
    from hardware.ticket_layout import TicketContent, TicketLayout, compose

    layout = TicketLayout.from_site(site)
    content = TicketContent("A012", "Lær MitID og apps", "da", datetime.now(site.tz), 12, 3,
                            ("Tirsdag 09:00-12:00: Her på rådhuset",),
                            status_url="http://192.168.1.10:8080/t/3q2-7wB1kZ8pN0cXyVfL4g")  # every ticket has one
    times, size = [], 0
    for _ in range(tickets):
        started = time.perf_counter()
        size = len(ticket_bytes(compose(content, layout), layout, site.printer.profile))
        times.append((time.perf_counter() - started) * 1000)
    return times, size


def main(args) -> int:
    site = config.load(args.config)
    logging.getLogger("hardware.desk_client").setLevel(logging.WARNING)  # a line per press is for the journal, not the bench
    with tempfile.TemporaryDirectory() as tmp:
        presses = _percentiles(press_latency_ms(site, args.presses, Path(tmp)))
    render, size = render_ms(site, args.tickets)
    tickets = _percentiles(render)
    print(f"press -> command on broker: p50 {presses['p50']} ms, p99 {presses['p99']} ms ({args.presses} presses)")
    print(f"ticket -> ESC/POS bytes:    p50 {tickets['p50']} ms, p99 {tickets['p99']} ms ({size} bytes a ticket)")
    print(json.dumps({"press_to_broker_ms": presses, "ticket_render_ms": tickets, "ticket_bytes": size}))
    return 0
