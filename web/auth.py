"""Who is asking: the session cookie, the roles' rights, and the CSRF check on every POST.

The session cookie is HttpOnly and SameSite=Strict; every POST must also carry the
session's own CSRF token (a form field, or the ``X-CSRF-Token`` header from the page's
script).  The login form, which has no session yet, uses a double-submit cookie instead.
"""
from __future__ import annotations

import secrets

from starlette.exceptions import HTTPException
from starlette.requests import Request

from web.accounts import API_ROLES, Session

SESSION_COOKIE = "reception_session"
LOGIN_COOKIE = "reception_login"
CSRF_HEADER = "x-csrf-token"


def session_of(request: Request) -> Session | None:
    return request.app.state.accounts.session(request.cookies.get(SESSION_COOKIE))


def require(request: Request, *roles: str) -> Session:
    """The request's session; 401 without one, 403 for a role not among ``roles`` (any role when none given)."""
    session = session_of(request)
    if session is None or session.user.role in API_ROLES:
        raise HTTPException(401)
    if roles and session.user.role not in roles:
        raise HTTPException(403)
    return session


def check_csrf(session: Session, sent: str | None) -> None:
    if not sent or not secrets.compare_digest(sent.encode(), session.csrf.encode()):
        raise HTTPException(403, "missing or wrong CSRF token")


def desk_of(request: Request, session: Session):
    """The desk named in the path, if this session may work there: 404 for no such desk, 403 for a desk above the role."""
    desk = request.app.state.site.desks.get(request.path_params["desk"])
    if desk is None:
        raise HTTPException(404)
    if not may_use_desk(session, desk):
        raise HTTPException(403)
    return desk


def may_use_desk(session: Session, desk) -> bool:
    """Volunteers work at volunteer desks; staff and managers at any desk."""
    return session.user.role != "volunteer" or desk.kind == "volunteer"


def cookie_options(request: Request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": request.app.state.secure_cookies, "path": "/"}
