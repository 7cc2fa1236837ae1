"""The HTML pages: log in and out, choose a desk, the desk workstation, the office panel.

Pages are rendered once on the server; what changes afterwards arrives over the event
stream (``web.live``) and the page's own small script redraws it.
"""
from __future__ import annotations

import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from web import auth
from web.accounts import API_ROLES, SESSION_HOURS
from web.texts import LANG_COOKIE, language_of, texts


def render(request: Request, template: str, status: int = 200, **context) -> Response:
    lang = language_of(request)
    page = request.app.state.templates.TemplateResponse(
        request, template, {"t": texts(lang), "lang": lang, "site": request.app.state.site, **context},
        status_code=status)
    if request.query_params.get("lang") == lang:
        page.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict", path="/")
    return page


def home(request: Request) -> Response:
    session = auth.session_of(request)
    if session is None:
        return RedirectResponse("/login", 303)
    return RedirectResponse("/office" if session.user.role == "manager" else "/desks", 303)


def login_form(request: Request, error: str | None = None, status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    page = render(request, "login.html", status, login_token=token, error=error)
    page.set_cookie(auth.LOGIN_COOKIE, token, max_age=3600, **auth.cookie_options(request))
    return page


async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name", "")).strip().lower(), str(form.get("password", ""))
    sent, expected = str(form.get("login_token", "")), request.cookies.get(auth.LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        return login_form(request, "login_refused", 403)
    limit, address = request.app.state.login_limit, request.client.host if request.client else "?"
    if limit.blocked(name, address):
        return login_form(request, "login_blocked", 429)
    user = await run_in_threadpool(request.app.state.accounts.verify, name, password)  # slow on purpose: not on the loop
    if user is None or user.role in API_ROLES:  # the booking system's key opens no page
        limit.failed(name, address)
        return login_form(request, "login_failed", 401)
    limit.succeeded(name)
    token, _session = request.app.state.accounts.open_session(user)
    page = RedirectResponse("/", 303)
    page.set_cookie(auth.SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, **auth.cookie_options(request))
    page.delete_cookie(auth.LOGIN_COOKIE, path="/")
    return page


async def logout(request: Request) -> Response:
    session = auth.require(request)
    auth.check_csrf(session, str((await request.form()).get("csrf", "")))
    request.app.state.accounts.close_session(request.cookies.get(auth.SESSION_COOKIE))
    page = RedirectResponse("/login", 303)
    page.delete_cookie(auth.SESSION_COOKIE, path="/")
    return page


def desks(request: Request) -> Response:
    session = auth.require(request)
    allowed = [d for d in request.app.state.site.desks.values() if auth.may_use_desk(session, d)]
    return render(request, "desks.html", session=session, desks=allowed)


def desk_page(request: Request) -> Response:
    session = auth.require(request)
    desk = auth.desk_of(request, session)
    return render(request, "desk.html", session=session, desk=desk, page_data=page_data(request, desk))


def office(request: Request) -> Response:
    session = auth.require(request, "manager")
    return render(request, "office.html", session=session, page_data=page_data(request))


def page_data(request: Request, desk=None) -> dict:
    """What the page's script needs to name things: services, desks and the words, in the chosen language."""
    site, lang = request.app.state.site, language_of(request)
    return {
        "lang": lang, "desk": desk.id if desk else None, "kind": desk.kind if desk else None,
        "services": {s.id: {"name": s.name.get_text(lang), "letter": s.letter, "served_by": sorted(s.served_by)}
                     for s in site.services.values()},
        "desks": {d.id: {"name": d.name.get_text(lang), "kind": d.kind} for d in site.desks.values()},
        "t": texts(lang),
    }
