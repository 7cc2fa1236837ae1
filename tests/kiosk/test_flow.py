"""The question walk without a screen: every path of the example site, back, start over."""
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
def test_each_path_ends_in_the_order_the_citizen_chose(site, lang):
    for taps, service in walk_paths(site):
        fl = Flow(site)
        fl.choose_language(lang)
        for i in taps:
            fl.answer(i)
        if site.services[service].citizen_chooses:
            assert fl.step == f.CHOICE
            fl.choose("volunteer")
        assert fl.step == f.EXTRAS
        for key in fl.extras_offered():
            fl.toggle_extra(key)
        fl.extras_done()
        fl.answer_first_visit(False)
        expected_pref = "volunteer" if site.services[service].citizen_chooses else "any"
        offered = tuple(k for k in site.extras if k != service)
        assert fl.order() == Order(service, expected_pref, offered, False, lang)


def test_appointment_extra_is_not_offered_for_the_appointment_service(site):
    fl = Flow(site)
    fl.choose_language("da")
    fl.answer(3)  # "Jeg har en aftale"
    assert fl.state.service == "appointment"
    assert fl.extras_offered() == ["carer", "private"]
    with pytest.raises(ValueError):
        fl.toggle_extra("appointment")


def test_toggling_twice_unticks(site):
    fl = Flow(site)
    fl.choose_language("en")
    fl.answer(4)
    fl.toggle_extra("private")
    fl.toggle_extra("private")
    fl.toggle_extra("carer")
    fl.extras_done()
    fl.answer_first_visit(None)
    assert fl.order().extras == ("carer",)
    assert fl.order().first_visit is None


def test_back_returns_exactly_to_each_earlier_screen(site):
    fl = Flow(site)
    seen = [fl.state]
    fl.choose_language("de"); seen.append(fl.state)
    fl.answer(0); seen.append(fl.state)
    fl.answer(0); seen.append(fl.state)
    fl.choose("staff"); seen.append(fl.state)
    assert fl.step == f.EXTRAS
    while len(seen) > 1:
        seen.pop()
        fl.back()
        assert fl.state == seen[-1]
    fl.back()  # on the start screen Back does nothing
    assert fl.state == seen[0] and fl.step == f.LANGUAGE


def test_back_from_extras_forgets_ticks_made_there(site):
    fl = Flow(site)
    fl.choose_language("da")
    fl.answer(4)
    fl.toggle_extra("carer")
    fl.back()
    fl.answer(4)
    assert fl.state.extras == frozenset()


def test_start_over_keeps_or_resets_language(site):
    fl = Flow(site)
    fl.choose_language("uk")
    fl.answer(1)
    fl.start_over()
    assert (fl.step, fl.lang, fl.taps) == (f.LANGUAGE, "uk", 0)
    fl.start_over(keep_language=False)
    assert fl.lang == "da"


def test_taps_that_cannot_happen_are_refused(site):
    fl = Flow(site)
    with pytest.raises(ValueError):
        fl.answer(0)
    with pytest.raises(ValueError):
        fl.choose_language("fr")
    fl.choose_language("da")
    with pytest.raises(ValueError):
        fl.answer(9)
    with pytest.raises(ValueError):
        fl.order()
    fl.answer(1)
    fl.answer(0)  # passport: staff only, no choice
    with pytest.raises(ValueError):
        fl.choose("volunteer")


def test_request_body_matches_the_contract(site):
    from datetime import datetime, timezone
    from reception import protocol
    order = Order("passport", "any", ("carer",), True, "da")
    online = protocol.parse_ticket_request(protocol.encode(order.request("r1")))
    assert (online.service, online.extras, online.first_visit, online.offline_number) == \
        ("passport", ("carer",), True, None)
    at = datetime(2026, 11, 25, 10, 1, 2, tzinfo=timezone.utc)
    offline = protocol.parse_ticket_request(protocol.encode(order.request("r2", offline_number="C901", issued_at=at)))
    assert (offline.offline_number, offline.issued_at) == ("C901", at)


def test_every_question_of_the_example_offers_not_sure(site):
    """A citizen who does not recognise their errand is never stuck: "not sure" leads to general reception."""
    for qid, question in site.questions.items():
        assert any(a.service == "reception" for a in question.answers), qid
