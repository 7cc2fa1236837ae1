"""The Kivy side of the board: one screen drawn from ``BoardModel.view()``.

Messages arrive on paho's thread; ``@mainthread`` moves each to Kivy's thread, where
the model is updated and one ``Clock`` trigger redraws before the frame being made (a
timeout of 0 would wait for the frame after it), so a call is on screen in the next
frame and a burst of calls costs one redraw per frame.  The announcer gets each new call straight from the model, in order.
Call ``display_board.window.configure`` before importing this module.
"""
from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Callable

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.utils import escape_markup

from display_board import info, palette, wording
from reception.colour import hex_rgba
from display_board.announcer import Announcer
from display_board.feed import BoardFeed
from display_board.model import BoardModel, BoardView, WaitRow
from display_board.widgets import FitGroup
from reception import clock, kivy_service, service_notify, today
from reception.config import Site
from reception.errors import ConfigError
from reception.mqtt import BrokerAddress
from reception.protocol import DailyStatsMessage
from reception.protocol.office import OfficeSetup

log = logging.getLogger(__name__)

KV = Path(__file__).with_name("board.kv")
ARROW = "[font=DejaVuSans]→[/font]"  # Roboto has no arrow; Kivy ships DejaVu Sans
FLASHES = 6  # half-periods the latest call blinks when it arrives
STARTUP_GRACE = 5.0  # seconds without a broker before the banner shows at start


esc = escape_markup  # every text from the site file or the hub is shown literally, never as markup


def muted(text: str) -> str:
    return f"[color={palette.MUTED}]{esc(text)}[/color]" if text else ""


class BoardFill(BoxLayout):
    """A box painted in one palette colour."""

    bg = StringProperty(palette.NAVY)


class BoardCallCell(BoxLayout):
    number = StringProperty("")
    desk = StringProperty("")


class BoardWaitRow(BoxLayout):
    letter = StringProperty("")
    name = StringProperty("")
    eta = StringProperty("")
    waiting = StringProperty("")
    lines = NumericProperty(2)  # the name's line, then one per wait shown (volunteer and staff: two)


class BoardScreen(FloatLayout):
    site_name = StringProperty("")
    date = StringProperty("")
    clock = StringProperty("")
    now_calling = StringProperty("")
    previous_calls = StringProperty("")
    expected_wait = StringProperty("")
    latest_number = StringProperty("")
    latest_desk = StringProperty("")
    latest_bg = StringProperty(palette.YELLOW)
    volunteers = StringProperty("")
    info_title = StringProperty("")
    info = StringProperty("")
    offline = BooleanProperty(False)
    offline_text = StringProperty("")
    offline_text2 = StringProperty("")

    def __init__(self, site: Site, languages: tuple[str, ...], **kwargs):
        super().__init__(**kwargs)
        self.site, self.languages = site, languages
        self.today: DailyStatsMessage | None = None  # the latest stats/daily, for the "today" information page
        self.cells = [BoardCallCell() for _ in range(site.board.recent_calls)]
        for cell in self.cells:
            self.ids.previous.add_widget(cell)
        self.rows: list[BoardWaitRow] = []
        self.row_groups = {part: FitGroup() for part in ("name", "waiting", "letter", "eta")}
        self._shown_seq: int | None = None
        self._flash = None
        self._now: datetime | None = None
        self._queue_languages: tuple[str, ...] | None = None  # of the tickets waiting now, from the hub
        self._volunteers_until: str | None = None
        self.site_name = esc(site.name)
        self._headings(languages[1:])
        self.offline_text = esc(wording.text("offline", languages[0]))

    def _headings(self, second: tuple[str, ...]) -> None:
        """Each heading in the first language, then (muted) in ``second`` if given."""
        for name in ("now_calling", "previous_calls", "expected_wait"):
            text = esc(wording.text(name, self.languages[0]))
            setattr(self, name, f"{text}   {muted(wording.text(name, second[0]))}" if second else text)

    # -- drawing -----------------------------------------------------------

    def show(self, view: BoardView) -> None:
        lang = self.languages[0]
        latest = view.latest
        self.latest_number = latest.number if latest else ""
        self.latest_desk = f"{ARROW} {esc(latest.desk(lang))}" if latest else esc(wording.text("no_calls", lang))
        if latest and latest.seq != self._shown_seq:
            self._start_flash()
        self._shown_seq = latest.seq if latest else None
        for i, cell in enumerate(self.cells):
            call = view.previous[i] if i < len(view.previous) else None
            cell.number = call.number if call else ""
            cell.desk = f"{ARROW} {esc(call.desk(lang))}" if call else ""
        self._show_waits(view.waits)
        pages_change = (view.languages, view.volunteers_until) != (self._queue_languages, self._volunteers_until)
        self._queue_languages, self._volunteers_until = view.languages, view.volunteers_until
        if self._now and pages_change:  # not per call: a call's frame draws the call, the clock does the rest
            self.show_time(self._now)
        self.offline = view.offline

    def _show_waits(self, waits: tuple[WaitRow, ...]) -> None:
        while len(self.rows) < len(waits):
            self.rows.append(BoardWaitRow())
            for part, group in self.row_groups.items():
                group.add(self.rows[-1].ids[part])
            self.ids.waits.add_widget(self.rows[-1])
        first = self.languages[0]  # one language per row keeps it large; the letters match the tickets
        for view, row in zip(self.rows, waits):
            view.letter = row.letter
            view.name = esc(row.name.get(first) or next(iter(row.name.values())))
            view.eta = esc(wording.wait_text(row.eta_min, row.waiting, first))
            view.lines = 1 + max(1, view.eta.count("\n") + 1)
            # "0 venter" beside "21 min" (busy desks) read as a contradiction: no count when nobody waits
            view.waiting = esc(wording.text("waiting", first, n=row.waiting)) if row.eta_min and row.waiting else ""

    def page_languages(self) -> tuple[str, ...]:
        """Danish, then the languages of the tickets waiting now (the configured second language
        while the hub does not say which): the pages speak to who is actually in the room."""
        first = self.languages[0]
        others = self.languages[1:] if self._queue_languages is None else self._queue_languages
        return (first, *(lang for lang in others if lang != first and wording.has_language(lang)))

    def show_time(self, now: datetime) -> None:
        self._now = now
        self.clock = f"{now:%H:%M}"
        self.date = esc(wording.date_text(now, self.languages[0]))
        pages = info.rotation(self.site, now, self.page_languages(), self.today)
        page = pages[info.page_index(now, len(pages), self.site.board.info_rotate_seconds)] if pages else None
        self.info_title = esc(page.title) if page else ""
        self.info = esc("\n".join(info.fold_lines(page.lines))) if page else ""
        lang = page.lang if page else self.languages[0]  # the volunteers' hours change language with the page
        second = (lang,) if lang != self.languages[0] else self.languages[1:]
        self._headings(second)  # the headings' and the banner's second language follow the page too
        self.offline_text2 = esc(wording.text("offline", second[0])) if second else ""
        until = self._volunteers_until
        self.volunteers = esc(wording.text("volunteers_until", lang, time=until)) if until else ""

    def stop_flash(self) -> None:
        if self._flash:
            self._flash.cancel()
        self.latest_bg = palette.YELLOW

    def _start_flash(self) -> None:
        """Blink the latest call a few times: a recall must catch the eye like a new call."""
        self.stop_flash()
        left = [FLASHES]

        def step(_dt):
            left[0] -= 1
            self.latest_bg = palette.FLASH if left[0] % 2 else palette.YELLOW
            return left[0] > 0
        self._flash = Clock.schedule_interval(step, 0.4)


class BoardApp(App):
    """The board: model + screen + announcer, fed by MQTT when ``broker`` is given."""

    vh = NumericProperty(7.2)  # 1% of the window height, in pixels: every size in board.kv uses it
    kv_file = str(KV)  # App.load_kv loads it once (it would also find board.kv by the class name)

    def __init__(self, site: Site, *, board_id: str = "board-1", broker: BrokerAddress | None = None,
                 announcer: Announcer | None = None, now: Callable[[], datetime] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.site, self.board_id, self.broker, self.announcer = site, board_id, broker, announcer
        self.now = now or clock.local(site.tz)
        self.languages = wording.board_languages(site)
        self.model = BoardModel(site)
        self.feed: BoardFeed | None = None
        self.title = f"{site.name}: {board_id}"

    def build(self):
        Window.clearcolor = hex_rgba(palette.NAVY)
        Window.bind(size=self._resized)
        self._resized(Window, Window.size)
        self.screen = BoardScreen(self.site, self.languages)
        self.redraw_soon = Clock.create_trigger(self.redraw, -1)  # before this frame, not after the next
        self.redraw()
        self.tick()
        self._clock_events = [Clock.schedule_interval(self.tick, 1), *kivy_service.watch_main_loop()]
        if self.broker:
            self.feed = BoardFeed(self.site.id, self.board_id, self.broker, on_snapshot=self.on_snapshot,
                                  on_call=self.on_call, on_hub_status=self.on_hub_status,
                                  on_today=self.on_today, on_setup=self.on_setup,
                                  on_connection=self.on_connection).start()
            self._clock_events.append(Clock.schedule_once(self._check_started, STARTUP_GRACE))
        return self.screen

    def on_start(self):
        service_notify.ready("showing the board")

    def on_stop(self):
        """Leave nothing running: in tests another app may use this process's window next."""
        service_notify.stopping()
        Window.unbind(size=self._resized)
        for event in self._clock_events:
            event.cancel()
        self.redraw_soon.cancel()
        self.screen.stop_flash()
        if self.feed:
            self.feed.stop()
        if self.announcer:
            self.announcer.stop()

    def _resized(self, _window, size) -> None:
        self.vh = size[1] / 100

    def redraw(self, *_args) -> None:
        self.screen.show(self.model.view())

    def tick(self, *_args) -> None:
        self.screen.show_time(self.now())

    # -- from the feed: paho's thread, moved to Kivy's --------------------

    @mainthread
    def on_snapshot(self, snapshot) -> None:
        self.model.apply_snapshot(snapshot)
        self.redraw_soon()

    @mainthread
    def on_call(self, event) -> None:
        shown = self.model.apply_call(event)
        if shown:
            if self.announcer:
                self.announcer.announce(shown)
            self.redraw_soon()

    @mainthread
    def on_hub_status(self, status: str) -> None:
        self.model.set_hub_status(status)
        self.redraw_soon()

    @mainthread
    def on_today(self, stats: DailyStatsMessage) -> None:
        """Kept as it came; ``info.today_page`` decides by the clock whether it is still today's."""
        self.screen.today = stats
        self.tick()

    @mainthread
    def on_setup(self, setup: OfficeSetup) -> None:
        """The office's changes: the information pages (texts, volunteer sessions) follow at once."""
        try:
            self.screen.site = today.apply(self.site, setup)
        except ConfigError as exc:  # a hub with another site file: keep to ours
            log.warning("today's setup does not fit this board's site file: %s", exc)
            self.screen.site = self.site
        self.tick()

    @mainthread
    def on_connection(self, connected: bool) -> None:
        self.model.set_connected(connected)
        service_notify.status("connected to the broker" if connected else "broker unreachable, retrying")
        self.redraw_soon()

    def _check_started(self, _dt) -> None:
        if self.feed and not self.feed.connection.connected:
            self.on_connection(False)
