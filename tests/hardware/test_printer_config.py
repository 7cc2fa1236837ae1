"""[printer] settings are checked when the site file loads, naming the key that is wrong."""
from __future__ import annotations

import tomllib

import pytest

from hardware.printer import TicketPrinter
from reception import config
from reception.errors import ConfigError
from tests.conftest import EXAMPLE_CONFIG


def load_with(printer: dict) -> config.Site:
    raw = tomllib.loads(EXAMPLE_CONFIG.read_text())
    raw["printer"] = printer
    return config.parse(raw, source="site.toml")


@pytest.mark.parametrize("printer, key", [
    ({"layout": {"lines": ["number", "weather"]}}, "printer.layout.lines[1]"),
    ({"layout": {"lines": ["site"]}}, "printer.layout.lines"),
    ({"layout": {"font": "big"}}, "printer.layout.font"),
    ({"layout": {"logo": "no-such-logo.png"}}, "printer.layout.logo"),
    ({"connection": "usb", "vendor_id": 0x04B8}, "printer.product_id"),
    ({"connection": "network"}, "printer.host"),
])
def test_bad_printer_settings_name_the_key(printer, key):
    with pytest.raises(ConfigError, match=f"site.toml: {key.replace('[', '.').replace(']', '.')}"):
        load_with(printer)


@pytest.mark.parametrize("printer, key", [
    ({"profile": "TM-NOPE"}, "printer.profile"),
    ({"profile": "TM-T20II", "layout": {"codepage": "CP999"}}, "printer.layout.codepage"),
])
def test_unknown_model_or_code_page(printer, key):
    with pytest.raises(ConfigError, match=key):
        TicketPrinter.from_site(load_with(printer))


def test_network_printer_from_site():
    site = load_with({"connection": "network", "host": "192.0.2.1", "port": 9100, "profile": "TM-T20II"})
    device = TicketPrinter.from_site(site).sink.device
    assert (type(device).__name__, device.host, device.port) == ("Network", "192.0.2.1", 9100)
