"""``POST /api/appointments``: the municipality's booking system hands in the day's appointments.

The booking system is a web account of role ``booking`` (``reception user add booking --role
booking``) and sends its key with HTTP Basic authentication on every post; wrong keys count
against the same limit as wrong passwords at the login.  The file is read here, with the readers
the hub uses (``hub.core.appointment_files``): a refusal is answered at once with its one line,
and personal fields are left out before anything reaches the broker.  The hub owns the database:
the appointments go to it as an ``appointments/import`` command, and its answer is the reply.
"""
from __future__ import annotations

import base64
import binascii
import logging
import re
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from hub.core import appointment_files
from hub.core.appointment_records import MAX_BYTES, SiteRules
from reception.errors import AppointmentFileError
from reception.protocol.bookings import AppointmentImport, BookedVisit
from web.accounts import User

log = logging.getLogger(__name__)

FILE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ROLE = "booking"


async def post(request: Request) -> Response:
    user = await _caller(request)
    name = request.query_params.get("file", "posted.csv")
    if not FILE_NAME_RE.fullmatch(name):
        raise HTTPException(400, "file: 1-64 letters, digits, '.', '_' or '-'")
    body = await _body(request)
    try:
        read = appointment_files.read(name, body, SiteRules.of(request.app.state.site))
    except AppointmentFileError as exc:
        log.warning("web: refused appointments posted by %s: %s", user.name, exc)
        return PlainTextResponse(f"{exc}\n", 422)
    log.info("web: appointments posted by %s: %s", user.name, read.note())
    command = AppointmentImport(f"api-{secrets.token_hex(8)}", user.name, name,
                                tuple(BookedVisit(a.code, a.at, a.service, a.desk) for a in read.appointments),
                                read.left_out)
    answer = await request.app.state.link.appointments(command)
    if answer is None:
        return JSONResponse({"ok": False, "error": "the hub did not answer in time; send the file again"}, 503)
    if not answer["ok"]:
        return PlainTextResponse(f"{answer['error']}\n", 422)
    return JSONResponse({"ok": True, "days": answer["days"], "left_out": list(read.left_out)})


async def _caller(request: Request) -> User:
    """The booking account the request's Basic credentials belong to; 401, 403 or 429 otherwise."""
    name, key = _credentials(request.headers.get("authorization", ""))
    state, address = request.app.state, request.client.host if request.client else "?"
    if state.login_limit.blocked(name, address):
        raise HTTPException(429, "too many wrong keys; wait a quarter of an hour")
    user = await run_in_threadpool(state.accounts.verify, name, key)  # slow on purpose: not on the loop
    if user is None:
        state.login_limit.failed(name, address)
        raise HTTPException(401, "wrong name or key", headers={"WWW-Authenticate": 'Basic realm="appointments"'})
    state.login_limit.succeeded(name)
    if user.role != ROLE:
        raise HTTPException(403, f"only a {ROLE} account may post appointments")
    return user


def _credentials(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.partition(" ")
    try:
        name, colon, key = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        colon = ""
    if scheme.lower() != "basic" or not colon:
        raise HTTPException(401, "HTTP Basic authentication with the booking account's key is needed",
                            headers={"WWW-Authenticate": 'Basic realm="appointments"'})
    return name.strip().lower(), key


async def _body(request: Request) -> bytes:
    """The posted file, refused (413) past the readers' limit without reading the rest."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise HTTPException(413, f"larger than {MAX_BYTES // 1024} kB")
        chunks.append(chunk)
    return b"".join(chunks)
