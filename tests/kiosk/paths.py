"""Every way through the example site's kiosk, as the buttons a citizen taps."""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import LANGUAGE_NAMES, tr


@dataclass(frozen=True)
class Path:
    answers: tuple[int, ...]
    service: str
    preference: str          # what the request must say
    extras: tuple[str, ...]
    first_visit: bool | None


def all_paths(site) -> list[Path]:
    """Each answer path; both choices where the citizen chooses; extras and first-visit answers varied."""
    found = []

    def walk(qid, taps):
        for i, a in enumerate(site.questions[qid].answers):
            if a.next:
                walk(a.next, taps + (i,))
            else:
                prefs = ("volunteer", "staff") if site.services[a.service].citizen_chooses else ("any",)
                for pref in prefs:
                    n = len(found)
                    offered = [k for k in site.extras if k != a.service]
                    extras = tuple(offered[j] for j in range(len(offered)) if (n >> j) & 1)
                    found.append(Path(taps + (i,), a.service, pref, extras, (True, False, None)[n % 3]))
    walk("start", ())
    return found


def tap_through(driver, site, lang: str, path: Path) -> None:
    """Tap the buttons of ``path`` by their visible text, as a citizen reads them."""
    driver.tap(LANGUAGE_NAMES[lang])
    qid = "start"
    for i in path.answers:
        answer = site.questions[qid].answers[i]
        driver.tap(answer.label.get_text(lang))
        qid = answer.next
    if path.preference != "any":
        driver.tap(tr(lang, f"choice_{path.preference}"))
    for key in path.extras:
        driver.tap(site.extras[key].label.get_text(lang))
    driver.tap(tr(lang, "extras_continue"))
    key = {True: "first_visit_yes", False: "first_visit_no", None: "skip"}[path.first_visit]
    driver.tap(tr(lang, key))
