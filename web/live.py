"""The pages' live side: desk commands from the buttons, and the event stream of the hub's state.

A command is a JSON POST with the session's CSRF token in a header; the hub's answer (or
"no answer yet") goes back in the response, and the desk's new state reaches every browser
at that desk, and the desk's own display, through the retained ``desk/<desk>/state``.
Updates are pushed as server-sent events: one ``update`` event per changed key, the
current value of every key the page follows first.
"""
from __future__ import annotations

import asyncio
import json
import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from reception.errors import MessageError
from web import auth

CLICK_ID_RE = re.compile(r"[0-9a-f]{32}")  # made by the page once per click, sent again on a retry
COMMAND_FIELDS = {"ticket", "service", "to_kind"}
KEEP_ALIVE = 15.0  # seconds between comment lines: proxies keep the stream open, a closed session ends it


async def desk_command(request: Request) -> Response:
    session = auth.require(request)
    auth.check_csrf(session, request.headers.get(auth.CSRF_HEADER))
    desk = auth.desk_of(request, session)
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not CLICK_ID_RE.fullmatch(str(body.get("id", ""))):
        return JSONResponse({"ok": False, "error": "bad request"}, 400)
    fields = {k: v for k, v in body.items() if k in COMMAND_FIELDS and v not in (None, "")}
    try:
        result = await request.app.state.link.command(desk.id, f"web-{body['id']}", str(body.get("action")), **fields)
    except MessageError as exc:
        return JSONResponse({"ok": False, "error": str(exc)}, 400)
    if result is None:
        return JSONResponse({"ok": None, "pending": True}, 202)
    return JSONResponse(result)


def _desk_keys(desk: str):
    own = f"desk:{desk}"
    return lambda key: key in (own, "alerts", "hub", "broker")


async def desk_events(request: Request) -> Response:
    desk = auth.desk_of(request, auth.require(request))
    return _stream(request, _desk_keys(desk.id))


async def office_events(request: Request) -> Response:
    auth.require(request, "manager")
    return _stream(request, lambda key: True)


def _event(key: str, value) -> str:
    return f"event: update\ndata: {json.dumps({'key': key, 'value': value}, ensure_ascii=False)}\n\n"


def _stream(request: Request, wanted) -> Response:
    link, accounts = request.app.state.link, request.app.state.accounts
    token = request.cookies.get(auth.SESSION_COOKIE)
    queue: asyncio.Queue = asyncio.Queue()
    stop = link.listen(lambda key, value: queue.put_nowait((key, value)) if key is None or wanted(key) else None)

    async def events():
        try:
            yield "retry: 2000\n\n"
            for key, value in link.snapshot().items():
                if wanted(key):
                    yield _event(key, value)
            while True:
                try:
                    key, value = await asyncio.wait_for(queue.get(), KEEP_ALIVE)
                except asyncio.TimeoutError:
                    if accounts.session(token) is None:
                        return  # logged out or expired: the page's next reconnect is refused
                    yield ": keep-alive\n\n"
                    continue
                if key is None:
                    return  # the service is stopping (HubLink.end_streams)
                yield _event(key, value)
        finally:
            stop()
    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
