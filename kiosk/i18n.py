"""Every fixed text the kiosk shows or speaks, in Danish, English, German and Ukrainian.

Texts about the site itself (questions, answers, services, places) come from the
site configuration; everything else comes from here, so no widget holds a word.
``tr`` falls back to Danish for a language without a catalogue, never to a key.
"""
from __future__ import annotations

import string

DEFAULT = "da"

# The language buttons show each language in its own words.
LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "de": "Deutsch", "uk": "Українська"}

# espeak-ng voice per language.
VOICES = {"da": "da", "en": "en-gb", "de": "de", "uk": "uk"}

CATALOGUES: dict[str, dict[str, str]] = {
    "da": {
        "welcome": "Velkommen",
        "needs": "Særlige ønsker",
        "back": "Tilbage",
        "start_over": "Start forfra",
        "read_aloud": "Læs op",
        "language": "Sprog",
        "choose_language": "Vælg sprog",
        "choice_title": "Hvem vil du have hjælp af?",
        "choice_title_staff": "Ingen frivillige her lige nu",
        "choice_volunteer": "En frivillig viser dig, hvordan du gør",
        "choice_staff": "En medarbejder hjælper dig",
        "wait_about": "Ventetid ca. {minutes} min.",
        "wait_unknown": "Ventetiden kendes ikke lige nu. Du beholder din plads i køen.",
        "next_sessions": "Frivillig IT-hjælp:",
        "extras_title": "Gælder noget af dette?",
        "extras_continue": "Videre",
        "first_visit_title": "Første gang, du kommer med dette?",
        "first_visit_yes": "Ja",
        "first_visit_no": "Nej",
        "first_visit_thanks": "Tak for svaret.",
        "skip": "Spring over",
        "issuing": "Du får dit nummer ...",
        "ticket_title": "Dit nummer",
        "sorry": "Beklager",
        "ahead": "{count} foran dig",
        "next": "Du er den næste",
        "called": "Dit nummer vises på skærmen og siges højt.",
        "printing": "Din billet bliver printet.",
        "printer_failed": "Printeren virker ikke. Husk venligst dit nummer.",
        "done": "Færdig",
        "refused": "Vi kunne desværre ikke give dig et nummer. Spørg ved skranken.",
        "idle_warning": "Er du her stadig? Skærmen starter forfra om {seconds} sekunder.",
        "more_time": "Jeg har brug for mere tid",
    },
    "en": {
        "welcome": "Welcome",
        "needs": "Special requests",
        "back": "Back",
        "start_over": "Start over",
        "read_aloud": "Read aloud",
        "language": "Language",
        "choose_language": "Choose your language",
        "choice_title": "Who should help you?",
        "choice_title_staff": "No volunteers here right now",
        "choice_volunteer": "A volunteer will show you how",
        "choice_staff": "A member of staff will help you",
        "wait_about": "Wait about {minutes} min",
        "wait_unknown": "The wait is not known right now. You keep your place in the queue.",
        "next_sessions": "Volunteer IT help:",
        "extras_title": "Does any of this apply?",
        "extras_continue": "Next",
        "first_visit_title": "Is this your first visit about this?",
        "first_visit_yes": "Yes",
        "first_visit_no": "No",
        "first_visit_thanks": "Thank you for your answer.",
        "skip": "Skip",
        "issuing": "Getting your number ...",
        "ticket_title": "Your number",
        "sorry": "Sorry",
        "ahead": "{count} ahead of you",
        "next": "You are next",
        "called": "You will be called on the screen and by voice.",
        "printing": "Your ticket is printing.",
        "printer_failed": "The printer is not working. Please remember your number.",
        "done": "Done",
        "refused": "Sorry, we could not give you a number. Please ask at the desk.",
        "idle_warning": "Are you still there? The screen starts over in {seconds} seconds.",
        "more_time": "I need more time",
    },
    "de": {
        "welcome": "Willkommen",
        "needs": "Weitere Wünsche",
        "back": "Zurück",
        "start_over": "Von vorn",
        "read_aloud": "Vorlesen",
        "language": "Sprache",
        "choose_language": "Sprache wählen",
        "choice_title": "Wer soll Ihnen helfen?",
        "choice_title_staff": "Keine Ehrenamtlichen hier",
        "choice_volunteer": "Ein Ehrenamtlicher zeigt Ihnen, wie es geht",
        "choice_staff": "Ein Mitarbeiter hilft Ihnen",
        "wait_about": "Warten: ca. {minutes} Min.",
        "wait_unknown": "Die Wartezeit ist gerade nicht bekannt. Sie behalten Ihren Platz.",
        "next_sessions": "IT-Hilfe von Ehrenamtlichen:",
        "extras_title": "Trifft etwas davon zu?",
        "extras_continue": "Weiter",
        "first_visit_title": "Deswegen zum ersten Mal hier?",
        "first_visit_yes": "Ja",
        "first_visit_no": "Nein",
        "first_visit_thanks": "Danke für Ihre Antwort.",
        "skip": "Überspringen",
        "issuing": "Ihre Nummer wird erstellt ...",
        "ticket_title": "Ihre Nummer",
        "sorry": "Entschuldigung",
        "ahead": "{count} vor Ihnen",
        "next": "Sie sind gleich dran",
        "called": "Wir rufen Sie auf dem Bildschirm und laut auf.",
        "printing": "Ihr Ticket wird gedruckt.",
        "printer_failed": "Der Drucker funktioniert nicht. Bitte merken Sie sich Ihre Nummer.",
        "done": "Fertig",
        "refused": "Leider konnten wir keine Nummer geben. Bitte fragen Sie am Schalter.",
        "idle_warning": "Sind Sie noch da? Der Bildschirm beginnt in {seconds} Sekunden neu.",
        "more_time": "Ich brauche mehr Zeit",
    },
    "uk": {
        "welcome": "Ласкаво просимо",
        "needs": "Прохання",
        "back": "Назад",
        "start_over": "Заново",
        "read_aloud": "Озвучити",
        "language": "Мова",
        "choose_language": "Оберіть мову",
        "choice_title": "Хто має вам допомогти?",
        "choice_title_staff": "Зараз немає волонтерів",
        "choice_volunteer": "Волонтер покаже вам, як це зробити",
        "choice_staff": "Вам допоможе працівник",
        "wait_about": "Чекати бл. {minutes} хв",
        "wait_unknown": "Час очікування зараз невідомий. Ваше місце в черзі зберігається.",
        "next_sessions": "ІТ-допомога волонтерів:",
        "extras_title": "Що з цього стосується вас?",
        "extras_continue": "Далі",
        "first_visit_title": "Ви вперше з цим питанням?",
        "first_visit_yes": "Так",
        "first_visit_no": "Ні",
        "first_visit_thanks": "Дякуємо за відповідь.",
        "skip": "Пропустити",
        "issuing": "Отримуємо ваш номер ...",
        "ticket_title": "Ваш номер",
        "sorry": "Вибачте",
        "ahead": "Перед вами: {count}",
        "next": "Ви наступні",
        "called": "Вас викличуть на екрані та голосом.",
        "printing": "Ваш талон друкується.",
        "printer_failed": "Принтер не працює. Запам'ятайте свій номер.",
        "done": "Готово",
        "refused": "Вибачте, номер не видано. Зверніться до працівника.",
        "idle_warning": "Ви ще тут? Екран повернеться на початок через {seconds} с.",
        "more_time": "Мені потрібно більше часу",
    },
}


def tr(lang: str, key: str, **values) -> str:
    """The text for ``key`` in ``lang`` (Danish when the language has no catalogue)."""
    catalogue = CATALOGUES.get(lang, CATALOGUES[DEFAULT])
    return catalogue[key].format(**values) if values else catalogue[key]


def placeholders(text: str) -> set[str]:
    """Names used as ``{name}`` in a text (tests check every language uses the same)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
