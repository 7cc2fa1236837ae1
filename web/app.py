"""The web application: routes, templates, local static files, security headers, error pages.

``create_app`` takes its parts (site, hub link, accounts, clock) so tests and the server build
it the same way.  Every asset is served from this package: the office LAN has no internet.
"""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from web import auth, bookings_api, front_desk, live, office_setup, pages, status_page
from web.login_limit import LoginLimit

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                 b"base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the headers above to every response: no inline script runs, no page is framed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)
        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Pages ask for a login when there is none; scripts get JSON; refusals are plain pages."""
    wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
    if exc.status_code == 401 and wants_page:
        return RedirectResponse("/login", 303)
    if not wants_page:
        return JSONResponse({"ok": False, "error": exc.detail}, exc.status_code)
    return pages.render(request, "error.html", exc.status_code, code=exc.status_code, session=auth.session_of(request))


def create_app(site, link, accounts, clock, *, secure_cookies: bool = False) -> Starlette:
    routes = [
        Route("/", pages.home),
        Route("/login", pages.login_form, methods=["GET"]),
        Route("/login", pages.login, methods=["POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/desks", pages.desks),
        Route("/desk/{desk}", pages.desk_page),
        Route("/desk/{desk}/command", live.desk_command, methods=["POST"]),
        Route("/events/desk/{desk}", live.desk_events),
        Route("/office", pages.office),
        Route("/reception", front_desk.page, methods=["GET"]),
        Route("/reception", front_desk.issue, methods=["POST"]),
        Route("/events/office", live.office_events),
        Route("/office/setup", office_setup.page, methods=["GET"]),
        Route("/office/setup", office_setup.change, methods=["POST"]),
        Route("/t/{token}", status_page.page),  # the citizen's phone: no login (the QR code on a ticket)
        Route("/t/{token}/events", status_page.events),
        Route("/api/appointments", bookings_api.post, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    app.state.site, app.state.link, app.state.accounts = site, link, accounts
    app.state.login_limit, app.state.clock = LoginLimit(clock), clock
    app.state.secure_cookies = secure_cookies
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.add_middleware(SecurityHeaders)
    return app
