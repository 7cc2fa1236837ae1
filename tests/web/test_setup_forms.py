"""What the setup page's forms send: the contract's setup commands, checked by the contract's own type."""
from starlette.datastructures import FormData

from reception import protocol
from reception.protocol.office import SetupCommand
from web.office_setup import setup_command

LANGUAGES = ("da", "en", "uk")


def sent(**fields) -> SetupCommand:
    items = [(k, v) for k, values in fields.items() for v in (values if isinstance(values, list) else [values])]
    command = setup_command(FormData(items), "mette", LANGUAGES)
    return SetupCommand.from_payload(protocol.encode(command))


def test_board_texts_are_paired_line_by_line_across_the_languages():
    command = sent(action="set_messages", request_id="ab12", messages_da="Lukket fredag\n\nHusk MitID",
                   messages_en="Closed Friday\nonly English\n", messages_uk="")
    assert command.messages == ({"da": "Lukket fredag", "en": "Closed Friday"}, {"en": "only English"},
                                {"da": "Husk MitID"})  # the hub refuses the second: it lacks Danish
    assert command.by == "mette" and command.id == "web-ab12"


def test_a_desks_services_and_a_new_session_in_the_sites_first_language():
    services = sent(action="set_services", request_id="1", desk="desk-3", services=["passport", "mitid_get"])
    assert services.desk == "desk-3" and services.services == ("passport", "mitid_get")
    added = sent(action="add_session", request_id="2", date="2026-11-27", time="13:00-15:00",
                 place="Biblioteket", at_desks="1")
    assert (added.session.time, dict(added.session.place), added.session.at_desks) == \
        ("13:00-15:00", {"da": "Biblioteket"}, True)
    assert sent(action="cancel_session", request_id="3", date="2026-11-26", time="09:00-12:00",
                desk="ignored").desk is None  # a field the action does not take is not sent
