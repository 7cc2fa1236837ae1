"""Every way through the example site's kiosk, as the buttons a citizen taps."""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import tr


@dataclass(frozen=True)
class Path:
    answers: tuple[int, ...]
    service: str
    preference: str          # what the request must say
    extras: tuple[str, ...]  # ticked through "Special needs" on the last question screen
    first_visit: bool | None  # answered on the ticket screen; None: not answered


def offered_on(site, qid: str) -> list[str]:
    """The extra needs the "Special needs" button offers on a question (not those that are answers there)."""
    answered = {a.service for a in site.questions[qid].answers}
    return [key for key in site.extras if key not in answered]


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
                    offered = [k for k in offered_on(site, qid) if k != a.service]
                    extras = tuple(offered[j] for j in range(len(offered)) if (n >> j) & 1)
                    found.append(Path(taps + (i,), a.service, pref, extras, (True, False, None)[n % 3]))
    walk("start", ())
    return found


def tap_through(driver, site, lang: str, path: Path) -> int:
    """Tap the buttons of ``path`` by their visible text, as a citizen reads them, up to the ticket.

    Returns the taps of the way itself: every answer and choice; the language (when it is not the
    default: its name, on the 7" panel after the language button) and the optional "Special needs"
    detour are not counted.
    """
    taps = 0
    if lang != site.default_language:
        driver.choose_language(lang)
    qid = "start"
    for n, i in enumerate(path.answers):
        if path.extras and n == len(path.answers) - 1:
            driver.tap(tr(lang, "needs"))
            for key in path.extras:
                driver.tap(site.extras[key].label.get_text(lang))
            driver.tap(tr(lang, "extras_continue"))
        answer = site.questions[qid].answers[i]
        driver.tap(answer.label.get_text(lang))
        taps += 1
        qid = answer.next
    if answer.check_in:  # "I have an appointment" without a code, the time not in the list: an ordinary ticket
        driver.tap(tr(lang, "no_code"))
        driver.tap(driver.screen.ids.not_listed)  # "Get a number" while the list is empty
        taps += 2
    if path.preference != "any":
        driver.tap(tr(lang, f"choice_{path.preference}"))
        taps += 1
    return taps


def answer_first_visit(driver, lang: str, value: bool | None) -> None:
    """On the ticket screen, once the number is up: Yes, No, or nothing."""
    if value is not None:
        driver.tap(tr(lang, "first_visit_yes" if value else "first_visit_no"))
