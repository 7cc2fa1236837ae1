"""The hub's intake: arrival order kept per lane, desk commands first, groups ended when dry or full."""
from __future__ import annotations

import threading

from hub.intake import Intake


def test_urgent_messages_go_first_each_lane_keeps_its_order_and_groups_end_when_dry_or_full():
    seen, gate, entered = [], threading.Event(), threading.Event()
    intake = Intake(group=3, on_group_end=lambda: seen.append("|"))

    def handle(topic, _payload, _ack):
        entered.set()
        gate.wait(5)  # the first message holds the worker until everything else is queued
        seen.append(topic)
    normal, urgent = intake.wrap(handle), intake.wrap(handle, urgent=True)
    intake.start()
    normal("t0", b"", lambda: None)
    assert entered.wait(5)
    for i in range(1, 6):
        normal(f"t{i}", b"", lambda: None)
    urgent("d1", b"", lambda: None)
    urgent("d2", b"", lambda: None)
    assert len(intake) >= 7 and intake.oldest_age() >= 0
    gate.set()
    deadline = threading.Event()
    while seen[-1:] != ["|"] or len([s for s in seen if s != "|"]) < 8:
        deadline.wait(0.01)
    intake.stop()
    assert [s for s in seen if s != "|"] == ["t0", "d1", "d2", "t1", "t2", "t3", "t4", "t5"]
    groups = "".join("|" if s == "|" else "m" for s in seen).split("|")
    assert max(len(g) for g in groups) <= 3, "a group ends after three messages at most"
    assert seen[-1] == "|" and len(intake) == 0, "and when the intake has run dry"
