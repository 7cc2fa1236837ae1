"""The kiosk's question tree ([questions]): answers lead to a question or a service, every service in reach."""
from __future__ import annotations

from typing import Any, Mapping

from reception.config.model import MAX_ANSWERS, MAX_TAPS, Answer, Question, Service
from reception.config.schema import REQUIRED, Reader, unknown


def questions(r: Reader, services: Mapping[str, Service]) -> dict[str, Question]:
    table = r.table("questions")
    if "start" not in table:
        r.fail("questions.start", "missing: the kiosk's first question")
    result = {}
    for qid, q in table.items():
        where = f"questions.{qid}"
        q = r.keys_of(Question, q, where)
        raw_answers = r.get(q, where, "answers", list, REQUIRED, "a list of answers")
        if not 1 <= len(raw_answers) <= MAX_ANSWERS:
            r.fail(f"{where}.answers", f"must have 1 to {MAX_ANSWERS} answers, not {len(raw_answers)}")
        answers = tuple(_answer(r, a, f"{where}.answers[{i}]", table, services) for i, a in enumerate(raw_answers))
        result[qid] = r.record(Question, q, where, id=qid, answers=answers)
    _check_reachability(r, result, services)
    return result


def _answer(r: Reader, a: Any, where: str, questions: Mapping[str, Any], services: Mapping[str, Service]) -> Answer:
    a = r.keys_of(Answer, a, where)
    nxt = r.get(a, where, "next", str, None, "a question id")
    svc = r.get(a, where, "service", str, None, "a service id")
    if (nxt is None) == (svc is None):
        r.fail(where, "needs exactly one of 'next' (a question) or 'service'")
    if svc is not None and svc not in services:
        r.fail(f"{where}.service", f"{svc!r}: {unknown(svc, services, 'service')}")
    if nxt is not None and nxt not in questions:
        r.fail(f"{where}.next", f"{nxt!r}: {unknown(nxt, questions, 'question')}")
    if a.get("check_in") and svc is None:
        r.fail(f"{where}.check_in", "needs 'service': the visit a citizen gets whose booking cannot be kept")
    return r.record(Answer, a, where, next=nxt, service=svc)


def _check_reachability(r: Reader, questions: Mapping[str, Question], services) -> None:
    """Every service within MAX_TAPS taps of the start screen; no question unreachable.

    The start screen is the first question, so its answers are the first tap; where the
    citizen chooses between a volunteer and staff, that choice is one tap more.  A check-in answer
    is two more at most: "I have no code", then "My time is not in the list" (the keypad's OK, one).
    """
    depth = {"start": 0}
    frontier = ["start"]
    reached: dict[str, int] = {}
    while frontier:
        qid = frontier.pop(0)
        for a in questions[qid].answers:
            taps = depth[qid] + 1
            if a.service:
                taps += 2 if a.check_in else services[a.service].citizen_chooses
                reached[a.service] = min(taps, reached.get(a.service, taps))
            elif a.next not in depth:
                depth[a.next] = taps
                frontier.append(a.next)
    for qid in questions:
        if qid not in depth:
            r.fail(f"questions.{qid}", "cannot be reached from questions.start")
    for sid in services:
        if sid not in reached:
            r.fail(f"services.{sid}", "no kiosk answer leads to this service")
        elif reached[sid] > MAX_TAPS:
            r.fail(f"services.{sid}", f"needs {reached[sid]} taps from the start screen (at most {MAX_TAPS})")
