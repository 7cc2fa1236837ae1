"""Where a ticket's QR code points: the web service's status page for that ticket's token.

The address is ``[status_page] base_url`` from the site file when the office has a public one,
else the hub's own address (the broker's host, on which the web service runs) and the web
service's port.  The kiosk prints it and shows it; the front desk shows it.
"""
from __future__ import annotations

import os

from reception.config import Site

WEB_PORT = 8080  # the web service's port unless RECEPTION_WEB_PORT says otherwise
PATH = "/t/"  # the page of one ticket: /t/<token>


def web_port() -> int:
    return int(os.environ.get("RECEPTION_WEB_PORT") or WEB_PORT)


def base_url(site: Site, hub_host: str) -> str:
    """The status page's address without the path: the site file's, or the hub's own."""
    if site.status_page.base_url:
        return site.status_page.base_url
    host = f"[{hub_host}]" if ":" in hub_host else hub_host  # an IPv6 address
    return f"http://{host}:{web_port()}"


def ticket_url(base: str, token: str) -> str:
    return f"{base}{PATH}{token}"
