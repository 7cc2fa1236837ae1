""""Is this your first visit about this?": yes, no, or skip; stored anonymously with the ticket."""
from __future__ import annotations

from kiosk.i18n import tr
from kiosk.screens import KioskScreen


class FirstVisitScreen(KioskScreen):
    def spoken(self) -> str:
        lang = self.app.lang
        return " ".join(tr(lang, k) + "." for k in ("first_visit_title", "first_visit_yes", "first_visit_no", "skip"))
