"""Today's setup, without a broker: each change is checked by the site file's own rules, and the
site the hub, kiosks and boards then run with says what the office changed."""
import json
import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub import guard
from hub.core import office
from hub.core.model import DESK_CLOSED
from hub.core.queue import Queue
from reception import schedule, sessions, today
from reception.errors import ConfigError, MessageError, QueueError
from reception.protocol.wire import MAX_DEVICE_PAYLOAD
from reception.protocol.office import (MAX_SETUP_PAYLOAD, AddedSession, AuditEntry, AuditList, OfficeSetup, SessionRef,
                                     SetupCommand)
from tests.conftest import TEST_INSTANT

NOW = datetime.fromisoformat(TEST_INSTANT)  # Tuesday 24 November 2026, 10:00: today's session runs 09:00-12:00


def command(action, **fields):
    return SetupCommand.from_payload(json.dumps({"v": 1, "id": "c-1", "by": "mette", "action": action, **fields}))


def run(site, *commands, setup=OfficeSetup(), now=NOW):
    for c in commands:
        setup = office.changed(setup, c, site, now)
    return setup, today.apply(site, setup)


def test_a_desk_may_serve_only_what_the_site_file_would_let_it(site):
    with pytest.raises(ConfigError) as refused:
        run(site, command("set_services", desk="vol-1", services=["passport"]))
    assert str(refused.value) == ("today's setup: desks[4].services[0]: a volunteer desk may not serve 'passport' "
                                  "(served_by)")
    setup, effective = run(site, command("set_services", desk="desk-1", services=["passport"]))
    assert effective.desks["desk-1"].services == {"passport"} and setup.version == 1
    assert effective.desks["desk-2"] == site.desks["desk-2"]


def test_every_service_still_needs_a_desk(site):
    narrow = [command("set_services", desk=d, services=["passport"]) for d in ("desk-1", "desk-2", "room-1")]
    with pytest.raises(ConfigError, match=r"^today's setup: services.mitid_get: no desk serves this service$"):
        run(site, *narrow, command("set_services", desk="desk-3", services=["passport"]))


def test_board_texts_follow_the_site_files_rules(site):
    with pytest.raises(ConfigError, match=r"needs a text in 'da'"):
        run(site, command("set_messages", messages=[{"en": "Closed on Friday"}]))
    with pytest.raises(ConfigError, match=r"board.messages\[0\].pl: unknown language"):
        run(site, command("set_messages", messages=[{"da": "Lukket fredag", "pl": "Zamknięte"}]))
    setup, effective = run(site, command("set_messages", messages=[{"da": "Lukket fredag", "en": "Closed Friday"}]))
    assert [m.get_text("en") for m in effective.board.messages] == ["Closed Friday"]
    _setup, back = run(site, command("reset_messages"), setup=setup)
    assert back.board.messages == site.board.messages


def test_cancelling_thursdays_session_moves_the_kiosks_next_volunteers(site):
    assert sessions.next_here_text(site, NOW, "en") == "Volunteers are here on Thursday at 9:00."
    setup, effective = run(site, command("cancel_session", date="2026-11-26", time="09:00-12:00"))
    assert sessions.next_here_text(effective, NOW, "en") == "Volunteers are here on Tuesday at 9:00."
    _setup, restored = run(site, command("restore_session", date="2026-11-26", time="09:00-12:00"), setup=setup)
    assert sessions.next_here_text(restored, NOW, "en") == "Volunteers are here on Thursday at 9:00."


def test_cancelling_todays_running_session_ends_the_volunteers_hours(site):
    assert schedule.volunteers_until(site, NOW) is not None
    _setup, effective = run(site, command("cancel_session", date="2026-11-24", time="09:00-12:00"))
    assert schedule.volunteers_until(effective, NOW) is None


def test_an_added_session_is_listed_and_can_be_cancelled_again(site):
    add = command("add_session", date="2026-11-25", time="13:00-15:00", place={"da": "Her", "en": "Here"},
                  at_desks=True)
    setup, effective = run(site, add)
    assert sessions.next_here_text(effective, NOW, "en") == "Volunteers are here tomorrow at 13:00."
    setup, effective = run(site, command("cancel_session", date="2026-11-25", time="13:00-15:00"), setup=setup)
    assert setup.added_sessions == () and setup.cancelled_sessions == frozenset()
    assert sessions.next_here_text(effective, NOW, "en") == "Volunteers are here on Thursday at 9:00."


@pytest.mark.parametrize("action, fields, reason", [
    ("add_session", {"date": "2026-12-01", "time": "13:00-15:00", "place": {"da": "Her"}}, "not within the coming 7"),
    ("add_session", {"date": "2026-11-24", "time": "08:00-09:00", "place": {"da": "Her"}}, "would be over already"),
    ("add_session", {"date": "2026-11-26", "time": "09:00-12:00", "place": {"da": "Her"}}, "session on 2026-11-26 at"),
    ("add_session", {"date": "2026-11-25", "time": "15:00-13:00", "place": {"da": "Her"}}, "ends before it starts"),
    ("add_session", {"date": "2026-11-25", "time": "13:00-15:00", "place": {"en": "Here"}}, "needs a text in 'da'"),
    ("cancel_session", {"date": "2026-11-25", "time": "09:00-12:00"}, "no volunteer session on 2026-11-25"),
    ("restore_session", {"date": "2026-11-26", "time": "09:00-12:00"}, "is not cancelled"),
    ("close_desk", {"desk": "desk-9"}, "desk 'desk-9' is not in the site file"),
])
def test_impossible_changes_are_refused_with_one_line(site, action, fields, reason):
    with pytest.raises(ConfigError) as refused:
        run(site, command(action, **fields))
    assert reason in str(refused.value) and "\n" not in str(refused.value)


def test_a_desk_closed_by_the_office_stays_closed_until_it_reopens_it(site):
    setup, effective = run(site, command("close_desk", desk="desk-2"))
    queue = Queue(effective)
    assert queue.set_status("desk-2", DESK_CLOSED, NOW) is not None
    for action in ("next", "open", "pause"):
        with pytest.raises(QueueError, match="desk-2 is closed today by the office"):
            queue.command("desk-2", action, NOW)
    _setup, reopened = run(site, command("open_desk", desk="desk-2"), setup=setup)
    queue.site = reopened
    queue.command("desk-2", "open", NOW)


def test_desk_changes_last_for_the_day_sessions_until_their_date(site):
    setup, _ = run(site, command("close_desk", desk="desk-2"),
                   command("set_services", desk="desk-1", services=["passport"]),
                   command("cancel_session", date="2026-11-26", time="09:00-12:00"))
    friday = office.current(setup, date(2026, 11, 27))
    assert friday.closed_desks == frozenset() and friday.desk_services == {}
    assert friday.cancelled_sessions == frozenset()
    wednesday = office.current(setup, date(2026, 11, 25))
    assert wednesday.cancelled_sessions == setup.cancelled_sessions and not wednesday.closed_desks
    assert today.apply(site, OfficeSetup()) is site


def setup_command(**fields) -> bytes:
    return json.dumps({"v": 1, "id": "c-2", "by": "mette", **fields}).encode()  # ASCII: "\u00e6" for "æ"


@pytest.mark.parametrize("payload, reason", [
    (setup_command(action="close_desk"), "missing field 'desk'"),
    (setup_command(action="close_desk", desk="desk-1", services=["passport"]), "'services' does not go with"),
    (setup_command(action="shut_down"), "field 'action' must be one of"),
    (json.dumps({"v": 1, "id": "c-3", "action": "reset_messages"}).encode(), "missing field 'by'"),
    (setup_command(action="reset_messages", by="Mette Hansen"), "field 'by' must be 1-64 letters"),
    (setup_command(action="set_services", desk="desk-1", services="passport"), "'services' has the wrong type"),
    (setup_command(action="set_services", desk="desk-1", services=["Passport!"]), "a bad service id"),
    (setup_command(action="set_messages", messages=[{"da": "x"}] * 13), "lists more than 12"),
    (setup_command(action="set_messages", messages=[{"da": ""}]), "must not be empty"),
    (setup_command(action="set_messages", messages=[{"da dk": "x"}]), "has a bad key"),
    (setup_command(action="add_session", date="26-11-2026", time="09:00-12:00", place={"da": "x"}), "not a date"),
    (setup_command(action="add_session", date="2026-11-26", time="9-12", place={"da": "x"}), "'time' is malformed"),
    (setup_command(action="cancel_session", date="2026-11-26", time="09:00-12:00", place={"da": "x"}),
     "'place' does not go with"),
])
def test_misfit_setup_commands_are_refused_whole(payload, reason):
    with pytest.raises(MessageError, match=re.escape(reason)):
        SetupCommand.from_payload(payload)


def test_a_setup_command_may_be_larger_than_a_devices_message_but_not_unbounded(site):
    texts = [{lang: "æ" * 200 for lang in site.languages}] * 12  # the most texts, the longest, escaped: 58 KB
    payload = setup_command(action="set_messages", messages=texts)
    assert MAX_DEVICE_PAYLOAD < len(payload) < MAX_SETUP_PAYLOAD
    assert guard.check(site, "reception/toender/setup/command", payload).feature == "setup/command"
    with pytest.raises(MessageError, match="over the limit of 4096"):
        guard.check(site, "reception/toender/desk/desk-1/command", payload)
    with pytest.raises(MessageError, match=f"over the limit of {MAX_SETUP_PAYLOAD}"):
        guard.check(site, "reception/toender/setup/command", payload + b" " * 8000)


ids = st.text("abcdesk-12_", min_size=1, max_size=32).filter(lambda i: i[0] not in "-_")
letters = "Lukket fredag æøå ÆØÅ Привіт.,!'\""
texts = st.dictionaries(st.sampled_from(["da", "en", "de", "uk"]), st.text(letters, min_size=1, max_size=200),
                        min_size=1, max_size=4)
days = st.dates(date(2026, 1, 1), date(2027, 12, 31))
times = st.sampled_from(["09:00-12:00", "13:00-15:00", "10:30-11:00"])
setups = st.builds(
    OfficeSetup, version=st.integers(0, 10_000), at=st.just(NOW), day=days,
    closed_desks=st.frozensets(ids, max_size=4),
    desk_services=st.dictionaries(ids, st.lists(ids, min_size=1, max_size=5).map(tuple), max_size=4),
    added_sessions=st.lists(st.builds(AddedSession, days, times, texts, st.booleans()), max_size=3).map(tuple),
    cancelled_sessions=st.frozensets(st.builds(SessionRef, days, times), max_size=3),
    messages=st.none() | st.lists(texts, max_size=12).map(tuple))


@settings(max_examples=40, deadline=None)
@given(setup=setups)
def test_the_retained_setup_reads_back_as_it_was_sent(setup):
    assert OfficeSetup.from_payload(setup.to_payload()) == setup


@settings(max_examples=40, deadline=None)
@given(setup=setups, by=st.sampled_from(["mette", "anna.b", "ole_2", "M:1-x"]))
def test_an_audit_list_reads_back_as_it_was_sent(setup, by):
    entries = tuple(AuditEntry(NOW, by, f"c-{i}", "set_messages", {"messages": list(setup.messages or [])})
                    for i in range(3))
    audit = AuditList(NOW, entries)
    assert AuditList.from_payload(audit.to_payload()) == audit
