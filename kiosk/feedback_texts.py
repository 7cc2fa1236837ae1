"""The feedback screen's own texts in every kiosk language; shared words (back, skip...) come from ``kiosk.i18n``."""
from __future__ import annotations

from kiosk.i18n import CATALOGUES, DEFAULT

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "button": "Hvordan gik det?",
        "faces_title": "Hvordan gik dit besøg?",
        "face_1": "Meget dårligt", "face_2": "Dårligt", "face_3": "Nogenlunde", "face_4": "Godt", "face_5": "Meget godt",
        "tags_title": "Vælg alt, der passer",
        "tag_got_help": "Jeg fik hjælp", "tag_kind": "Venlig betjening", "tag_can_do_it_now": "Nu kan jeg selv",
        "tag_waited_too_long": "Ventede for længe", "tag_still_cannot": "Kan stadig ikke selv",
        "tag_hard_to_understand": "Svært at forstå",
        "letter_title": "Dit nummer startede med",
        "thanks_title": "Tak for dit svar",
        "thanks_text": "Vi bruger svarene til at blive bedre.",
    },
    "en": {
        "button": "Tell us how it went",
        "faces_title": "How did your visit go?",
        "face_1": "Very bad", "face_2": "Bad", "face_3": "OK", "face_4": "Good", "face_5": "Very good",
        "tags_title": "Choose all that apply",
        "tag_got_help": "I got help", "tag_kind": "Kind staff", "tag_can_do_it_now": "I can do it myself now",
        "tag_waited_too_long": "Waited too long", "tag_still_cannot": "I still can't do it myself",
        "tag_hard_to_understand": "Hard to understand",
        "letter_title": "Your number started with",
        "thanks_title": "Thank you for your answer",
        "thanks_text": "We use the answers to get better.",
    },
    "de": {
        "button": "Wie war es?",
        "faces_title": "Wie war Ihr Besuch?",
        "face_1": "Sehr schlecht", "face_2": "Schlecht", "face_3": "Geht so", "face_4": "Gut", "face_5": "Sehr gut",
        "tags_title": "Alles Zutreffende wählen",
        "tag_got_help": "Mir wurde geholfen", "tag_kind": "Freundliche Bedienung", "tag_can_do_it_now": "Jetzt kann ich es selbst",
        "tag_waited_too_long": "Zu lange gewartet", "tag_still_cannot": "Kann es noch nicht selbst",
        "tag_hard_to_understand": "Schwer zu verstehen",
        "letter_title": "Ihre Nummer begann mit",
        "thanks_title": "Danke für Ihre Antwort",
        "thanks_text": "Wir nutzen die Antworten, um besser zu werden.",
    },
    "uk": {
        "button": "Як усе пройшло?",
        "faces_title": "Як пройшов ваш візит?",
        "face_1": "Дуже погано", "face_2": "Погано", "face_3": "Нормально", "face_4": "Добре", "face_5": "Дуже добре",
        "tags_title": "Оберіть усе, що підходить",
        "tag_got_help": "Мені допомогли", "tag_kind": "Привітне ставлення", "tag_can_do_it_now": "Тепер можу самостійно",
        "tag_waited_too_long": "Довге очікування", "tag_still_cannot": "Ще не можу самостійно",
        "tag_hard_to_understand": "Важко зрозуміти",
        "letter_title": "Ваш номер починався з",
        "thanks_title": "Дякуємо за вашу відповідь",
        "thanks_text": "Ми використовуємо відповіді, щоб ставати кращими.",
    },
}

LANGUAGES = tuple(CATALOGUES)  # the kiosk's languages: the feedback screen must speak every one


def ftr(lang: str, key: str) -> str:
    """A feedback text in ``lang`` (Danish for a language without a catalogue, as ``kiosk.i18n.tr``)."""
    return TEXTS.get(lang, TEXTS[DEFAULT])[key]
