"""The reception workstation: the front desk issues a ticket for a citizen who will not use the kiosk.

The same questions and flags as the kiosk, sent as the kiosk's ticket request (docs/protocol.md)
from the front desk's own kiosk identity in the site file (``reception web --kiosk``).  The form
carries a request id made when it was drawn, so sending it twice issues one ticket, and the token
of the ticket's status page: the issued ticket's QR code is shown for the citizen to scan.
"""
from __future__ import annotations

import base64
import secrets

import qrcode
from qrcode.image.svg import SvgPathImage
from starlette.requests import Request
from starlette.responses import Response

from reception import status_page
from reception.errors import MessageError
from reception.protocol import EXTRAS, PREFERENCES, new_token
from web import auth
from web.pages import render

ROLES = ("staff", "manager")
LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "de": "Deutsch", "uk": "Українська", "ar": "العربية",
                  "pl": "Polski", "so": "Soomaali", "tr": "Türkçe"}


def _form(request: Request, session, status: int = 200, **shown) -> Response:
    site = request.app.state.site
    return render(request, "front_desk.html", status, session=session, request_id=secrets.token_hex(16),
                  token=new_token(),
                  preferences=PREFERENCES, extras=[(key, site.extras[key]) for key in EXTRAS if key in site.extras],
                  languages=[(code, LANGUAGE_NAMES.get(code, code)) for code in site.languages],
                  off=request.app.state.link.kiosk is None, **shown)


def page(request: Request) -> Response:
    return _form(request, auth.require(request, *ROLES))


def ticket_request(form, site) -> dict:
    """The kiosk's ticket request from the form's answers; what does not fit is left to the contract's check."""
    request = {"id": f"web-{form.get('request_id', '')}", "service": str(form.get("service", "")),
               "preference": str(form.get("preference", "any")), "lang": str(form.get("lang", site.default_language)),
               "extras": [key for key in EXTRAS if form.get(f"extra_{key}")]}
    first = form.get("first_visit")
    if first in ("yes", "no"):
        request["first_visit"] = first == "yes"
    if form.get("token"):
        request["token"] = str(form.get("token"))
    return request


def status_qr(request: Request, token: str) -> tuple[str, str]:
    """The ticket's status page: its address (the site file's, or the one staff reached this service
    at) and its QR code as an SVG data address (the page's CSP allows images only from here and data:)."""
    url = status_page.ticket_url(request.app.state.site.status_page.base_url or str(request.base_url).rstrip("/"),
                                 token)
    svg = qrcode.make(url, image_factory=SvgPathImage, border=2).to_string()
    return url, "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


async def issue(request: Request) -> Response:
    session = auth.require(request, *ROLES)
    form = await request.form()
    auth.check_csrf(session, str(form.get("csrf", "")))
    site = request.app.state.site
    try:
        reply = await request.app.state.link.ticket(ticket_request(form, site))
    except MessageError as exc:
        return _form(request, session, 400, refused=str(exc))
    if reply is None:
        return _form(request, session, 504, refused=None, no_answer=True)
    if not reply["ok"]:
        return _form(request, session, 409, refused=reply["error"])
    ticket = reply["ticket"]
    url, qr = status_qr(request, str(form.get("token"))) if form.get("token") else (None, None)
    return _form(request, session, issued=ticket, issued_service=site.services[ticket["service"]],
                 status_url=url, status_qr=qr)
