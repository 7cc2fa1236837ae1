"""The booking code's keypad: ten large keys in two rows of five, the digits typed so far above them.

Two rows of five, not the telephone's four rows of three: four 20 mm rows and the code above
them do not fit the 7" panel's 86 mm.  OK waits for the fourth digit; a seventh is not taken.
"Delete" takes the last digit off, Back leaves the keypad.  Read-aloud reads where the code
is and what has been typed; once a citizen has asked for the voice, each key says its digit
as it is pressed (not before: a code said aloud to the whole lobby is nobody's business).
"""
from __future__ import annotations

from kiosk.flow import CODE_DIGITS
from kiosk.i18n import tr
from kiosk.screens import KioskScreen
from kiosk.widgets import KioskButton

KEYS = "1234567890"


def shown_code(code: str) -> str:
    """The digits typed, then a line for each still needed, apart so they count: "47 _ _", "_ _ _ _".
    The digits stay together: six of them fit the box large."""
    return " ".join(([code] if code else []) + ["_"] * (CODE_DIGITS[0] - len(code)))


class CodeScreen(KioskScreen):
    def refresh(self) -> None:
        app = self.app
        keys = self.ids.keypad
        if not keys.children:
            for digit in KEYS:
                key = KioskButton(text=digit, style="answer")
                key.bind(on_release=lambda _b, d=digit: self.app.press_digit(d))
                keys.add_widget(key)
        for key in keys.children:
            key.ids.label.max_font = app.title_font * 1.5
        code = app.flow.state.code
        self.ids.code.text = shown_code(code)
        for button, usable in ((self.ids.ok, app.flow.code_complete), (self.ids.erase, bool(code))):
            button.disabled, button.opacity = not usable, 1 if usable else 0.4  # faded: not yet

    def spoken(self) -> str:
        lang, code = self.app.lang, self.app.flow.state.code
        typed = f" {tr(lang, 'code_typed', digits=' '.join(code))}" if code else ""
        return f"{tr(lang, 'code_title')}. {tr(lang, 'code_hint')}{typed} {tr(lang, 'no_code')}."
