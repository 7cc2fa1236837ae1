"""The citizen's status page: what the QR code on a ticket opens, on any phone, with no login and no app.

``/t/<token>`` shows the number, its place in the line, the expected wait, and a big "Det er din
tur – Skranke 3" once a desk calls it, in the ticket's language.  Without JavaScript the page
reloads itself (a ``<meta refresh>`` inside ``<noscript>``); with it, ``/t/<token>/events``
pushes the page's new main part as server-sent events whenever the ticket's view changes.
No cookie is set, nothing is logged with the token, and the page shows nothing personal.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from reception import catalogue
from reception.config import LANGUAGES
from web.ticket_status import CALLED, UNKNOWN, TicketStatus, status_of

REFRESH_SECONDS = 15  # how often a page without JavaScript reloads itself
KEEP_ALIVE = 15.0
TEXTS = catalogue.load(Path(__file__).with_name("status_texts.toml"))
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def current(request: Request) -> TicketStatus:
    link = request.app.state.link
    return status_of(request.path_params["token"], link.links, link.seen, dict(link.parsed),
                     request.app.state.clock())


def language(request: Request, status: TicketStatus) -> str:
    """The ticket's language; for an unknown token the phone's own, where the site has it."""
    if status.lang:
        return status.lang
    site = request.app.state.site
    wanted = [part.split(";")[0].strip()[:2].lower() for part in request.headers.get("accept-language", "").split(",")]
    return next((lang for lang in wanted if lang in site.languages and lang in LANGUAGES), site.default_language)


def context(request: Request, status: TicketStatus) -> dict:
    lang, site = language(request, status), request.app.state.site
    desk = site.desks[status.desk].name.get_text(lang) if status.desk in site.desks else status.desk
    return {"s": status, "lang": lang, "site": site, "desk": desk, "refresh": REFRESH_SECONDS,
            "t": lambda key, **values: TEXTS.text(lang, key, **values)}


async def page(request: Request) -> Response:
    status = current(request)
    return request.app.state.templates.TemplateResponse(
        request, "status.html", context(request, status), status_code=404 if status.state == UNKNOWN else 200,
        headers=HEADERS)


def main_part(request: Request, status: TicketStatus) -> str:
    """The page's main part, as the page itself has it (the script swaps it in)."""
    return request.app.state.templates.get_template("status_main.html").render(context(request, status))


async def events(request: Request) -> Response:
    """The page's main part again whenever its ticket's view changes; the stream ends once it is unknown."""
    link = request.app.state.link
    changed: asyncio.Queue = asyncio.Queue()
    stop = link.listen(lambda key, _value: changed.put_nowait(key))

    async def stream():
        try:
            yield "retry: 3000\n\n"
            shown = None
            while True:
                status = current(request)
                if status != shown:
                    shown = status
                    body = {"state": status.state, "called": status.state == CALLED,
                            "html": main_part(request, status)}
                    yield f"event: status\ndata: {json.dumps(body, ensure_ascii=False)}\n\n"
                if status.state == UNKNOWN:
                    return
                try:
                    if await asyncio.wait_for(changed.get(), KEEP_ALIVE) is None:
                        return  # the service is stopping
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
        finally:
            stop()
    return StreamingResponse(stream(), media_type="text/event-stream", headers={**HEADERS, "X-Accel-Buffering": "no"})
