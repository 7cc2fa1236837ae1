"""The question walk without a screen: every path of the example site, taps, extras, back, start over."""
from dataclasses import replace

import pytest

from kiosk import flow as f
from kiosk.flow import Flow, Order


def walk_paths(site, qid="start", taps=()):
    """Every answer path from a question to a service: [(taps, service)]."""
    for i, a in enumerate(site.questions[qid].answers):
        if a.next:
            yield from walk_paths(site, a.next, taps + (i,))
        else:
            yield taps + (i,), a.service


def test_every_service_reached_by_some_path(site):
    assert {svc for _, svc in walk_paths(site)} == set(site.services)


@pytest.mark.parametrize("lang", ["da", "en", "de", "uk"])
def test_each_path_ends_in_a_ticket_within_three_steps(site, lang):
    for taps, service in walk_paths(site):
        fl = Flow(site)
        fl.choose_language(lang)
        assert (fl.step, fl.taps) == (f.START, 0)  # the language is not a step
        for i in taps:
            fl.answer(i)
        if fl.step == f.CODE:  # "I have an appointment": the longest way, no code and a time not in the list
            fl.no_code()
            fl.not_listed()
        elif site.services[service].citizen_chooses:
            assert fl.step == f.CHOICE
            fl.choose("volunteer")
        assert fl.step == f.TICKET and fl.taps <= 3, (service, fl.taps)
        expected_pref = "volunteer" if site.services[service].citizen_chooses else "any"
        assert fl.order() == Order(service, expected_pref, (), None, lang)


def test_special_needs_is_a_detour_that_returns_to_the_question_with_the_ticks(site):
    fl = Flow(site)
    fl.answer(1)  # "Pas og kørekort"
    question = fl.state
    fl.open_extras()
    assert fl.step == f.EXTRAS and fl.extras_offered() == ["appointment", "carer", "private"]
    fl.toggle_extra("carer")
    fl.toggle_extra("appointment")
    fl.close_extras()
    assert fl.state == replace(question, extras=frozenset({"carer", "appointment"}))
    assert fl.taps == 1  # the detour is not a step
    fl.answer(0)  # passport
    assert fl.order() == Order("passport", "any", ("appointment", "carer"), None, "da")


def test_back_keeps_the_language_and_the_ticks(site):
    fl = Flow(site)
    fl.choose_language("uk")
    fl.answer(0)
    fl.open_extras()
    fl.toggle_extra("private")
    fl.back()  # Back on the extras screen returns to the question, ticks kept
    assert fl.step == f.QUESTION and fl.state.extras == {"private"}
    fl.back()
    assert (fl.step, fl.lang, fl.state.extras) == (f.START, "uk", {"private"})


def test_an_extra_that_repeats_an_answer_or_the_service_is_not_offered(site):
    fl = Flow(site)
    assert fl.extras_offered() == ["carer", "private"]  # "Jeg har en aftale" is an answer right there
    with pytest.raises(ValueError):
        fl.toggle_extra("appointment")
    fl.open_extras()
    with pytest.raises(ValueError):
        fl.toggle_extra("appointment")
    fl.toggle_extra("private")
    fl.close_extras()
    fl.answer(3)  # "Jeg har en aftale"
    for digit in "4711":
        fl.press_digit(digit)
    fl.confirm_code()
    assert fl.order() == Order("appointment", "any", ("private",), None, "da", booking="4711")


def test_first_visit_is_answered_on_the_ticket_and_may_change(site):
    fl = Flow(site)
    with pytest.raises(ValueError):
        fl.answer_first_visit(True)
    fl.answer(4)  # "Ved ikke / andet": a ticket in one tap
    assert fl.step == f.TICKET and fl.taps == 1
    fl.answer_first_visit(True)
    fl.answer_first_visit(False)
    assert fl.order().first_visit is False and fl.taps == 1


def test_back_returns_exactly_to_each_earlier_screen(site):
    fl = Flow(site)
    fl.choose_language("de")
    seen = [fl.state]
    fl.answer(0); seen.append(fl.state)
    fl.answer(0); seen.append(fl.state)
    assert fl.step == f.CHOICE
    while len(seen) > 1:
        seen.pop()
        fl.back()
        assert fl.state == seen[-1]
    fl.back()  # on the start screen Back does nothing
    assert fl.state == seen[0] and fl.step == f.START


def test_start_over_keeps_or_resets_language_and_forgets_the_ticks(site):
    fl = Flow(site)
    fl.choose_language("uk")
    fl.open_extras()
    fl.toggle_extra("carer")
    fl.close_extras()
    fl.answer(1)
    fl.start_over()
    assert (fl.step, fl.lang, fl.taps, fl.state.extras) == (f.START, "uk", 0, frozenset())
    fl.start_over(keep_language=False)
    assert fl.lang == "da"


def test_taps_that_cannot_happen_are_refused(site):
    fl = Flow(site)
    with pytest.raises(ValueError):
        fl.choose_language("fr")
    with pytest.raises(ValueError):
        fl.answer(9)
    with pytest.raises(ValueError):
        fl.order()
    with pytest.raises(ValueError):
        fl.choose("volunteer")
    fl.answer(1)
    with pytest.raises(ValueError):
        fl.choose_language("en")  # only on the start screen
    fl.answer(0)  # passport: staff only, no choice
    with pytest.raises(ValueError):
        fl.choose("volunteer")
    with pytest.raises(ValueError):
        fl.open_extras()


def test_request_body_matches_the_contract(site):
    from datetime import datetime, timezone
    from reception import protocol
    order = Order("passport", "any", ("carer",), True, "da")
    at = datetime(2026, 11, 25, 10, 1, 2, tzinfo=timezone.utc)
    online = protocol.TicketRequest.from_payload(order.request("r1", sent_at=at).to_payload())
    assert (online.service, online.extras, online.first_visit, online.offline_number, online.replaces) == \
        ("passport", ("carer",), True, None, None)
    assert online.sent_at == at  # the hub judges a late request by it (hub.overload.stale)
    offline = protocol.TicketRequest.from_payload(
        order.request("r2", offline_number="C901", issued_at=at, replaces="r1").to_payload())
    assert (offline.offline_number, offline.issued_at, offline.replaces) == ("C901", at, "r1")


def test_every_question_of_the_example_offers_not_sure(site):
    """A citizen who does not recognise their errand is never stuck: "not sure" leads to general reception."""
    for qid, question in site.questions.items():
        assert any(a.service == "reception" for a in question.answers), qid


def test_a_booking_code_is_typed_on_the_keypad_four_to_six_digits(site):
    fl = Flow(site)
    fl.answer(3)  # "Jeg har en aftale"
    assert (fl.step, fl.taps) == (f.CODE, 1)
    with pytest.raises(ValueError):
        fl.confirm_code()  # no digits yet
    for digit in "123":
        assert fl.press_digit(digit)
    with pytest.raises(ValueError):
        fl.confirm_code()  # three are too few
    with pytest.raises(ValueError):
        fl.press_digit("x")
    assert [fl.press_digit(d) for d in "45678"] == [True, True, True, False, False]  # a seventh is not taken
    assert fl.state.code == "123456" and fl.taps == 1  # digits are not steps
    fl.erase()
    fl.erase()
    assert fl.state.code == "1234" and fl.code_complete
    fl.confirm_code()
    assert (fl.step, fl.taps) == (f.TICKET, 2)
    assert fl.order() == Order("appointment", "any", (), None, "da", booking="1234")


def test_without_a_code_the_citizen_picks_a_time_or_says_it_is_not_there(site):
    from datetime import datetime
    at = datetime(2026, 11, 25, 10, 30, tzinfo=site.tz)
    fl = Flow(site)
    fl.choose_language("uk")
    fl.answer(3)
    fl.press_digit("9")
    fl.no_code()
    assert (fl.step, fl.state.code) == (f.SLOTS, "")  # the digits typed are dropped
    fl.back()
    assert (fl.step, fl.state.code) == (f.CODE, "9")  # Back returns to the keypad as it was
    fl.no_code()
    fl.pick_slot("q7Rk2mXw9aLc", at)
    assert (fl.step, fl.taps, fl.state.booked_at) == (f.TICKET, 3, at)
    assert fl.order() == Order("appointment", "any", (), None, "uk", slot="q7Rk2mXw9aLc")
    fl.start_over()
    fl.answer(3)
    fl.no_code()
    fl.not_listed()
    assert fl.order() == Order("appointment", "any", (), None, "uk")  # an ordinary ticket
    assert not fl.order().checking_in


def test_a_booking_goes_to_the_hub_and_with_an_offline_hand_over(site):
    """Offline the kiosk cannot check a code and prints an ordinary number; the hand-over still names the
    booking, so the hub counts it kept, not missed (docs/protocol.md)."""
    from datetime import datetime, timezone
    from reception import protocol
    at = datetime(2026, 11, 25, 10, 1, 2, tzinfo=timezone.utc)
    for order in (Order("appointment", booking="4711"), Order("appointment", slot="q7Rk2mXw9aLc")):
        online = protocol.TicketRequest.from_payload(order.request("r1", sent_at=at).to_payload())
        assert (online.booking, online.slot, online.offline_number) == (order.booking, order.slot, None)
        offline = protocol.TicketRequest.from_payload(
            order.request("r2", offline_number="H901", issued_at=at, replaces="r1").to_payload())
        assert (offline.booking, offline.slot, offline.offline_number) == (order.booking, order.slot, "H901")
    plain = protocol.TicketRequest.from_payload(Order("appointment").request("r3").to_payload())
    assert (plain.booking, plain.slot) == (None, None)
