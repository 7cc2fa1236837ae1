"""The fixed texts printed on a ticket, in every kiosk language.

The kiosk translates what the citizen chose (the reason, volunteer sessions); the few
sentences that are the same on every ticket live here, next to the printer that uses them.
"""
from __future__ import annotations

FALLBACK = "da"

TEXTS: dict[str, dict[str, str]] = {
    "wait": {
        "da": "Forventet ventetid ca. {n} min.",
        "en": "Expected wait about {n} min",
        "de": "Voraussichtliche Wartezeit ca. {n} Min.",
        "uk": "Час очікування: близько {n} хв",
    },
    "ahead": {
        "da": "{n} foran dig i køen",
        "en": "{n} ahead of you",
        "de": "{n} vor Ihnen",
        "uk": "Перед вами: {n}",
    },
    "called": {
        "da": "Du bliver kaldt op på skærmen",
        "en": "You will be called on the screen",
        "de": "Sie werden auf dem Bildschirm aufgerufen",
        "uk": "Вас викличуть на екрані",
    },
    "helper_volunteer": {
        "da": "Du har valgt en frivillig",
        "en": "You chose a volunteer",
        "de": "Sie haben eine/n Ehrenamtliche/n gewählt",
        "uk": "Ви обрали волонтера",
    },
    "helper_staff": {
        "da": "Du har valgt en medarbejder",
        "en": "You chose a member of staff",
        "de": "Sie haben eine/n Mitarbeiter/in gewählt",
        "uk": "Ви обрали працівника",
    },
    "volunteers": {
        "da": "Frivillig IT-hjælp:",
        "en": "Volunteer IT help:",
        "de": "IT-Hilfe von Freiwilligen:",
        "uk": "ІТ-допомога волонтерів:",
    },
    "offline": {
        "da": "Ventetiden kendes ikke lige nu. Du beholder din plads i køen.",
        "en": "The wait is not known right now. You keep your place in the queue.",
        "de": "Die Wartezeit ist gerade nicht bekannt. Sie behalten Ihren Platz.",
        "uk": "Час очікування зараз невідомий. Ваше місце в черзі зберігається.",
    },
}


def ticket_text(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (Danish if the language is missing), with ``{n}`` filled in."""
    texts = TEXTS[key]
    return texts.get(lang, texts[FALLBACK]).format(**values)
