"""Today's setup in the office panel: open and close desks, their services, this week's volunteer
sessions and the board's information texts, with the audit list of who changed what.

Each form sends one setup command (docs/protocol.md, "Today's setup") in the name of the manager
logged in, with a request id made when the page was drawn: sending a form twice changes once.
The hub checks the change by the site file's rules and answers; the page then shows the setup
the hub publishes, with the site file as its base (``reception.today``).
"""
from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from reception import schedule, today
from reception.errors import ConfigError, MessageError
from reception.protocol.office import ACTION_FIELDS, OfficeSetup
from web import auth
from web.front_desk import LANGUAGE_NAMES
from web.pages import render
from web.texts import language_of

DAYS_AHEAD = 7
FRESH_WAIT = 1.0  # seconds the page waits for the hub's new retained setup after an answer


def _sessions(site, office: OfficeSetup, first_day, lang: str) -> list[dict]:
    """This week's volunteer sessions: the site file's (called off or not) and the office's own."""
    cancelled = {(c.date, c.time) for c in office.cancelled_sessions}
    rows = [{"date": day, "time": str(s.time), "place": s.place.get_text(lang), "added": False,
             "cancelled": (day, str(s.time)) in cancelled}
            for day in (first_day + timedelta(days=i) for i in range(DAYS_AHEAD))
            for s in site.volunteer_sessions if schedule.weekday(day) in s.days]
    rows += [{"date": s.date, "time": s.time, "place": s.place.get(lang) or next(iter(s.place.values())),
              "added": True, "cancelled": False} for s in office.added_sessions]
    return sorted(rows, key=lambda r: (r["date"], r["time"]))


def _view(request: Request, session, status: int = 200, **shown) -> Response:
    state, lang = request.app.state, language_of(request)
    office = state.link.parsed.get("setup") or OfficeSetup()
    try:
        site_today = today.apply(state.site, office)
    except ConfigError:
        site_today = state.site
    first_day = schedule.local(state.site, state.clock()).date()
    audit = state.link.parsed.get("audit")
    return render(request, "office_setup.html", status, session=session, request_id=secrets.token_hex(16),
                  office=office, site_today=site_today, services=state.site.services,
                  sessions=_sessions(state.site, office, first_day, lang),
                  days=[first_day + timedelta(days=i) for i in range(DAYS_AHEAD)],
                  messages={code: "\n".join(m.get(code, "") for m in site_today.board.messages).rstrip("\n")
                            for code in state.site.languages},
                  audit=audit.changes[:20] if audit else (), language_names=LANGUAGE_NAMES, **shown)


def page(request: Request) -> Response:
    return _view(request, auth.require(request, "manager"))


def setup_command(form, user: str, languages: tuple[str, ...]) -> dict:
    """The setup command a form asks for; what does not fit is left to the contract's check."""
    action = str(form.get("action", ""))
    command = {"id": f"web-{form.get('request_id', '')}", "by": user, "action": action}
    takes = ACTION_FIELDS.get(action, ())
    for key in ("desk", "date", "time"):
        if key in takes:
            command[key] = str(form.get(key, ""))
    if "services" in takes:
        command["services"] = [str(s) for s in form.getlist("services")]
    if "place" in takes:
        command["place"] = {languages[0]: str(form.get("place", "")).strip()}
        command["at_desks"] = bool(form.get("at_desks"))
    if "messages" in takes:
        command["messages"] = board_texts(form, languages)
    return command


def board_texts(form, languages: tuple[str, ...]) -> list[dict[str, str]]:
    """The board's texts from one text box per language: line N of each box is text N in that language.
    A text without a line in the site's first language is left for the hub to refuse, with its reason."""
    boxes = {lang: str(form.get(f"messages_{lang}", "")).splitlines() for lang in languages}
    count = max((len(lines) for lines in boxes.values()), default=0)
    texts = [{lang: lines[i].strip() for lang, lines in boxes.items() if i < len(lines) and lines[i].strip()}
             for i in range(count)]
    return [text for text in texts if text]


async def change(request: Request) -> Response:
    session = auth.require(request, "manager")
    form = await request.form()
    auth.check_csrf(session, str(form.get("csrf", "")))
    link = request.app.state.link
    try:
        result = await link.setup(setup_command(form, session.user.name, request.app.state.site.languages))
    except MessageError as exc:
        return _view(request, session, 400, refused=str(exc))
    if result is None:
        return _view(request, session, 504, no_answer=True)
    if not result["ok"]:
        return _view(request, session, 409, refused=result["error"])
    for _ in range(int(FRESH_WAIT / 0.05)):
        setup = link.parsed.get("setup")
        if setup and setup.version >= result.get("version", 0):
            break
        await asyncio.sleep(0.05)
    return _view(request, session, saved=result["action"])
