"""The desk console: the button unit's actions from a keyboard, with what the hub says about the desk.

Plain text, redrawn whenever something changes: in a terminal the screen is cleared
first, through a pipe each view is simply printed after the last (so tests and logs can
read it).  Reasons and extras are shown in the site's first language (Danish), since the
console is for staff.  ``render`` is pure and takes everything it shows as arguments.
"""
from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass, field, replace
from typing import IO, Mapping

from hardware.desk_client import KEY_ACTIONS, DeskClient
from hardware.keys import KeyReader
from reception import protocol

CLEAR = "\x1b[H\x1b[2J"
STATUS_WORDS = {"open": "ÅBEN", "paused": "PAUSE", "closed": "LUKKET"}
TICKET_STATES = {"called": "kaldt", "serving": "betjenes"}
KIND_WORDS = {"staff": "personale", "volunteer": "frivillige"}
EXTRA_WORDS = {"appointment": "har aftale", "carer": "med hjælper", "private": "ønsker enrum"}
ALERT_WORDS = {"paper_low": "papiret er ved at slippe op", "paper_out": "mangler papir",
               "cover_open": "låget er åbent", "offline": "printeren svarer ikke", "error": "printerfejl",
               "unreachable": "svarer ikke (slukket eller uden net)",
               "overloaded": "er overbelastet; kiosker udskriver egne numre"}
DEVICE_WORDS = {"web": "webtjenesten (personalets browsersider og borgernes telefonside)"}
HELP = ("n=næste  r=kald igen  s=udeblevet  t=til personale  d=færdig  "
        "o=åbn/luk  p=pause  c=kald nummer  q=afslut")


@dataclass(frozen=True)
class ConsoleView:
    """Everything the console shows; replaced as a whole when something changes."""

    state: protocol.DeskState | None = None
    alerts: tuple[protocol.Alert, ...] = ()
    hub: str | None = None  # "online" | "offline" | "stopped" | None (not heard yet)
    connected: bool = False
    broker: str = ""  # host:port, named on the screen while it cannot be reached
    last: str = ""  # what happened to the last command
    kinds: Mapping[str, protocol.KindWait] = field(default_factory=dict)  # waits per desk kind from the board
    today: protocol.LiveFigures | None = None  # the day so far, from the hub's statistics


def _reason(site, ticket: protocol.TicketAtDesk) -> str:
    service = site.services.get(ticket.service)
    return service.name.get_text(site.default_language) if service else ticket.service


def _ticket(site, ticket: protocol.TicketAtDesk) -> str:
    extras = ", ".join(EXTRA_WORDS.get(e, e) for e in ticket.extras)
    return (f"{ticket.number}  {_reason(site, ticket)}  (ventet {ticket.waited_min:.0f} min)"
            + (f"  [{extras}]" if extras else ""))


def _kind(name: str, wait: protocol.KindWait) -> str:
    eta = f"ca. {wait.eta_min} min" if wait.eta_min is not None else "ingen skranke åben"
    return f"{name} {wait.waiting} venter ({eta}, {wait.open} åbne)"


def render(site, desk_id: str, view: ConsoleView) -> str:
    """The console screen as text."""
    desk = site.desks[desk_id]
    state = view.state
    status = STATUS_WORDS[state.status] if state else "?"
    link = "forbundet" if view.connected else f"kan ikke nå broker {view.broker}, prøver igen"
    lines = [f"{desk.name.get_text(site.default_language)} ({desk_id}): {status}   hub: {view.hub or '?'}   {link}"]
    if state and state.current:
        now = TICKET_STATES.get(state.current.state, state.current.state or "")
        recalls = f", kaldt igen {state.current.recalls}x" if state.current.recalls else ""
        lines.append(f"Nu:    {_ticket(site, state.current)}  {now}{recalls}")
    else:
        lines.append("Nu:    ingen")
    for i, ticket in enumerate(state.next if state else ()):
        lines.append(f"{'Næste:' if i == 0 else '':6} {_ticket(site, ticket)}")
    if state:
        lines.append(f"Venter til denne skranke: {state.waiting}")
    if view.kinds:
        lines.append("I alt: " + ", ".join(_kind(KIND_WORDS.get(k, k), w) for k, w in view.kinds.items()))
    if view.today:
        avg = f"{view.today.avg_wait_min:.0f} min" if view.today.avg_wait_min is not None else "-"
        lines.append(f"I dag: {view.today.waiting} venter, {view.today.served} betjent, "
                     f"gennemsnitlig ventetid {avg}")
    for alert in view.alerts:
        lines.append(f"! {DEVICE_WORDS.get(alert.device, alert.device)}: {ALERT_WORDS[alert.problem]}")
    if view.last:
        lines.append(view.last)
    lines.append(HELP)
    return "\n".join(lines) + "\n"


class Console:
    """Keys in, commands out, the view redrawn on every change."""

    def __init__(self, client: DeskClient, out: IO[str] | None = None):
        self.client = client
        self.out = out or sys.stdout
        self.view = ConsoleView(broker=client.conn.where)
        self._lock = threading.RLock()  # _show_client_state holds it around _update
        topics = client.topics
        client.on_state.append(lambda state: self._update(state=state))
        client.on_result.append(self._result)
        client.conn.subscribe_parsed(topics.alerts, protocol.Alerts.from_payload, lambda a: self._update(alerts=a.alerts))
        client.conn.subscribe_parsed(topics.board, protocol.BoardSnapshot.from_payload,
                                     lambda board: self._update(kinds=board.kinds))
        client.conn.subscribe_parsed(topics.stats_daily, protocol.DailyStatsMessage.from_payload,
                                     lambda stats: self._update(today=stats.live))
        client.conn.subscribe_parsed(topics.hub_available, protocol.Availability.from_payload,
                                     lambda h: self._update(hub=h.status))
        client.on_connection.append(lambda up: self._update(connected=up))

    def run(self, keys: KeyReader) -> None:
        """Read keys until ``q`` or the end of input."""
        self.client.conn.wait_connected(5)
        self.client.state_seen.wait(2)  # let the retained state arrive so o/p toggle the right way
        self._show_client_state()
        with keys.raw_keys():
            while (key := keys.key()) not in (None, "q"):
                self.handle(key, keys)

    def handle(self, key: str, keys: KeyReader) -> None:
        if key in KEY_ACTIONS:
            action = KEY_ACTIONS[key]
            fields = {"to_kind": "staff"} if action == "transfer" else {}
            self.client.send(action, **fields)
            self._update(last=f"sendt: {action}")
        elif key == "o":
            self._update(last=f"sendt: {self.client.toggle_open()}")
        elif key == "p":
            self._update(last=f"sendt: {self.client.toggle_pause()}")
        elif key == "c":
            number = keys.line("Nummer der skal kaldes (fx A012): ", self.out).upper()
            if re.fullmatch(protocol.NUMBER_RE.pattern, number):
                self.client.send("call", ticket=number)
                self._update(last=f"sendt: call {number}")
            else:
                self._update(last=f"'{number}' er ikke et billetnummer")
        else:
            self._update(last=f"ukendt tast '{key}'")

    def _result(self, result: protocol.DeskResult) -> None:
        self._update(last=f"hub: {result.action} ok" if result.ok else f"hub: {result.action} afvist: {result.error}")

    def _show_client_state(self) -> None:
        """Show what the client already knows: its retained desk state may have arrived before this
        console hooked into ``on_state`` (a client that connected before the console was built).
        Read under the lock, so a newer state arriving meanwhile is never overwritten by an older one."""
        with self._lock:
            self._update(state=self.client.state, connected=self.client.conn.connected)

    def _update(self, **changes) -> None:
        with self._lock:
            self.view = replace(self.view, **changes)
            screen = render(self.client.site, self.client.desk_id, self.view)
            try:
                self.out.write((CLEAR if self.out.isatty() else "\n") + screen)
                self.out.flush()
            except BrokenPipeError:  # the reader went away (console | head)
                if threading.current_thread() is threading.main_thread():
                    raise  # ``reception`` then ends quietly; the MQTT thread leaves it to the next key
